"""The notebook widgets without a kernel: settings as traits both ways, the view's commands and refusals,
the figure's other commands as methods, and live training on an event loop that sends no more frames than
the view has drawn."""

import asyncio

import numpy as np
import pytest
import traitlets

from dropout_playground import WIDGET_NAMES, Playground
from dropout_playground.protocol import FIGURES, decode_frame
from dropout_playground.widget import FRAMES_IN_FLIGHT, ROOT_CLASS, WIDGETS, FigureWidget, scoped_css


def header(widget):
    return decode_frame(widget.frame)[0]


def arrays(widget):
    return decode_frame(widget.frame)[1]


def from_view(widget, content):
    """A custom message from the view, as anywidget delivers it."""
    widget._handle_custom_msg(content, [])


@pytest.fixture
def sent(monkeypatch):
    messages = []
    monkeypatch.setattr(FigureWidget, "send", lambda self, content, buffers=None: messages.append(content))
    return messages


def test_every_figure_is_a_widget_whose_traits_are_the_settings_its_frame_shows():
    assert sorted(WIDGET_NAMES) == sorted(WIDGETS)
    for name in WIDGET_NAMES:
        widget = WIDGETS[name]()
        shown = header(widget)["values"]["settings"]
        assert widget.figure_name == widget.protocol.name and widget.protocol is FIGURES[widget.figure_name]
        for setting in widget.settings:
            value = getattr(widget, setting)
            assert (list(value) if isinstance(value, tuple) else value) == shown[setting], (name, setting)


def test_settings_given_to_the_widget_are_the_figures():
    widget = Playground(p=0.3, dataset="spiral", seed=4, hidden=[8, 5])
    shown = header(widget)["values"]["settings"]
    assert (widget.p, widget.dataset, widget.seed, widget.hidden) == (0.3, "spiral", 4, (8, 5))
    assert (shown["p"], shown["dataset"], shown["seed"], shown["hidden"]) == (0.3, "spiral", 4, [8, 5])
    assert widget.net.sizes == [2, 8, 5, 3] and widget.net.p == 0.3  # the engine's network, for code


def test_a_setting_set_from_python_redraws_and_is_heard():
    widget = Playground()
    heard = []
    widget.observe(lambda change: heard.append(change["new"]), names="p")
    number = widget.frame_number
    widget.p = 0.2
    assert header(widget)["values"]["settings"]["p"] == 0.2 and widget.frame_number == number + 1
    assert heard == [0.2]


def test_a_refused_setting_raises_the_pages_sentence_and_changes_nothing():
    widget = Playground(p=0.3)
    before, number = widget.frame, widget.frame_number
    with pytest.raises(traitlets.TraitError, match=r"^p must be between 0 and 1, got 1\.7$"):
        widget.p = 1.7
    with pytest.raises(traitlets.TraitError, match="dataset must be one of"):
        widget.dataset = "faces"
    assert widget.p == 0.3 and widget.frame == before and widget.frame_number == number
    with pytest.raises(traitlets.TraitError, match=r"^p must be between 0 and 1, got -0\.1$"):
        Playground(p=-0.1)
    with pytest.raises(TypeError, match="Playground has no setting 'q'; its settings are p, mode"):
        Playground(q=1)


def test_a_change_made_in_the_view_reaches_the_traits_and_its_answer_carries_its_id(sent):
    widget = Playground()
    heard = []
    widget.observe(lambda change: heard.append(change["new"]), names="p")
    from_view(widget, {"type": "set", "p": 0.6, "id": 4})
    assert widget.p == 0.6 and heard == [0.6]
    assert header(widget)["id"] == 4 and sent == []


def test_a_command_the_view_sends_that_the_figure_refuses_is_answered_under_its_id(sent):
    widget = Playground(p=0.3)
    number = widget.frame_number
    from_view(widget, {"type": "set", "p": 2, "id": 5})
    from_view(widget, {"type": "jump", "id": 6})
    assert [message["id"] for message in sent] == [5, 6]
    assert sent[0] == {"type": "error", "message": "p must be between 0 and 1, got 2.0", "id": 5}
    assert "jump" in sent[1]["message"]
    assert widget.p == 0.3 and widget.frame_number == number


def test_the_figures_commands_are_methods():
    widget = Playground(p=0.5)
    masks = [arrays(widget)["mask_1"].copy()]
    for _ in range(3):
        widget.resample()
        masks.append(arrays(widget)["mask_1"].copy())
    # Seeded: four draws of six units at p = 0.5 are all the same with probability 2⁻¹⁸; this seed's are not.
    assert any(not np.array_equal(masks[0], mask) for mask in masks[1:])
    steps = widget.values["steps"]
    assert widget.train(steps=5) == 5 and widget.values["steps"] == steps + 5
    with pytest.raises(ValueError, match="steps must be"):
        widget.train(steps=0)
    assert widget.predictions.shape == (3,) and abs(widget.predictions.sum() - 1) < 1e-5


def test_playing_trains_on_the_event_loop_sending_no_more_frames_than_the_view_has_drawn():
    widget = WIDGETS["Overfitting"]()

    async def scenario():
        widget.play(300)
        await asyncio.sleep(0.5)
        # No view has said it drew anything: two frames wait for it, and training goes on regardless.
        assert widget.frame_number <= 1 + FRAMES_IN_FLIGHT
        first = widget.values["step"]
        await asyncio.sleep(0.3)
        assert widget.values["step"] == first  # the frames wait; the figure itself trains on
        steps_trained = widget.figure.settings.steps
        assert steps_trained > first
        number = widget.frame_number
        from_view(widget, {"type": "drawn", "frame": number})
        await asyncio.sleep(0.3)
        assert widget.frame_number > number and widget.values["step"] > first
        assert header(widget)["playing"] is True and widget.playing
        widget.pause()
        assert header(widget)["playing"] is False and not widget.playing
        step = widget.values["step"]
        await asyncio.sleep(0.2)
        assert widget.values["step"] == step

    asyncio.run(scenario())


def test_playing_needs_a_running_event_loop_and_says_how_to_train_without_one():
    widget = WIDGETS["Overfitting"]()
    with pytest.raises(ValueError, match=r"playing needs a running event loop.*call train\(steps\)"):
        widget.play()


def test_the_styles_apply_within_the_widget_only():
    css = scoped_css()
    assert css.startswith(f".{ROOT_CLASS} {{") and css.rstrip().endswith("}")
    assert ":root" not in css
    depth = 0
    for index, character in enumerate(css):
        depth += {"{": 1, "}": -1}.get(character, 0)
        # Every rule sits within the widget's root: the outer block closes only at the very end.
        assert depth > 0 or index >= len(css.rstrip()) - 1 or index < len(f".{ROOT_CLASS} ")


def test_closing_a_widget_stops_its_training():
    widget = WIDGETS["Overfitting"]()

    async def scenario():
        widget.play(300)
        await asyncio.sleep(0.2)
        task = widget._playing
        widget.close()
        await asyncio.sleep(0.1)
        assert task.done() and widget._playing is None
        step = widget.figure.settings.steps
        await asyncio.sleep(0.2)
        assert widget.figure.settings.steps == step

    asyncio.run(scenario())


def test_a_run_that_diverges_while_playing_is_said_under_the_play_id_and_playing_stops(monkeypatch, sent):
    widget = WIDGETS["Overfitting"]()
    name, _ = widget.protocol.played
    train = widget.protocol.methods[name]
    calls = []

    def diverging(figure, steps):
        calls.append(steps)
        if len(calls) == 3:
            raise ValueError("training diverged at step 40 (learning rate 0.01)")
        return train(figure, steps=steps)

    monkeypatch.setitem(widget.protocol.methods, name, diverging)

    async def scenario():
        from_view(widget, {"type": "play", "rate": 300, "id": 7})
        for _ in range(100):
            await asyncio.sleep(0.02)
            if sent:
                break

    asyncio.run(scenario())
    assert sent == [{"type": "error", "message": "training diverged at step 40 (learning rate 0.01)", "id": 7}]
    assert widget._playing is None and header(widget)["playing"] is False
