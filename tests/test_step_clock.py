"""The clock that says how many steps a played figure owes: the rate times the time played, less the steps
taken; never more than half a second's worth, so a figure that fell behind does not race to catch up."""

from dropout_playground.protocol import FRAMES_PER_SECOND, StepClock
from dropout_playground.protocol.playing import BACKLOG_SECONDS


def test_a_clock_owes_the_rate_times_the_time_played_less_the_steps_taken():
    clock = StepClock(rate=300, start=10.0)
    assert clock.owed(10.0) == 0
    assert clock.owed(10.1) == 30
    clock.took(25)
    assert clock.owed(10.1) == 5
    assert clock.owed(10.2) == 35


def test_a_clock_that_fell_behind_owes_one_frame_not_the_backlog():
    clock = StepClock(rate=1500, start=0.0)
    clock.took(100)
    # At 1 s it would owe 1,400 steps; beyond half a second's worth it counts again as if it had started
    # playing one frame ago.
    assert 1500 * BACKLOG_SECONDS < 1400
    assert clock.owed(1.0) == 1500 // FRAMES_PER_SECOND
    clock.took(20)
    assert clock.owed(1.1) == 1500 // FRAMES_PER_SECOND + 150 - 20


def test_the_wait_for_a_slow_rate_is_until_one_whole_step_is_owed():
    clock = StepClock(rate=4, start=0.0)
    assert clock.seconds_until_owed(0.0) == 0.25
    clock.took(1)
    assert clock.seconds_until_owed(0.3) == 0.2
    assert clock.seconds_until_owed(0.6) == 0.0
