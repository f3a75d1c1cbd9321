import pytest

from dropout_playground.figures import TrainingRun, format_log, parse_log
from dropout_playground.figures.training_log import append_run


def test_round_trip():
    log = (TrainingRun(800, 0.5), TrainingRun(25, 0.2))
    assert format_log(log) == "800@0.5,25@0.2"
    assert parse_log("800@0.5,25@0.2") == log
    assert parse_log("") == ()


def test_runs_at_the_same_p_merge():
    assert append_run((TrainingRun(10, 0.5),), 5, 0.5) == (TrainingRun(15, 0.5),)
    assert append_run((TrainingRun(10, 0.5),), 5, 0.1) == (TrainingRun(10, 0.5), TrainingRun(5, 0.1))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("800", "written like 800@0.5"),
        ("800@", "written like 800@0.5"),
        ("-5@0.5", "written like 800@0.5"),
        ("10@1.5", "between 0 and 1, but got 1.5"),
        ("15000@0.5,6000@0.1", "at most 20000 training steps"),
    ],
)
def test_bad_logs_are_refused(text, message):
    with pytest.raises(ValueError, match=message):
        parse_log(text)
