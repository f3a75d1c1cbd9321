"""Every figure as a notebook widget: the page's own views, hosted by anywidget in JupyterLab, Jupyter
Notebook, VS Code or marimo, with the figure in the kernel.

A widget speaks the page's protocol over anywidget's model instead of a WebSocket. The view's commands come
as custom messages and are carried out by the figure's ``FigureProtocol``, as on the server; each answer is a
frame encoded as on the page's WebSocket, held in the ``frame`` trait (bytes at the top level, which marimo
keeps as they are); a refusal goes back to the view as an error message under the command's id.

The figure's settings are traits of their own, one for each field of its ``set`` command: setting one from
Python carries out ``set`` (so a value the figure refuses raises ``TraitError`` with the page's sentence, and
nothing changes), and a change made in the view reaches them with its frame, so ``observe`` hears both. The
figure's other commands are methods (``w.resample()``, ``w.train(steps)``, ``w.reset()`` …).

A figure that trains live plays on the kernel's event loop, a chunk at a time with the loop free between
chunks, so other cells run meanwhile. Each frame is numbered (``frame_number``); the view says which it
has drawn last, and while ``FRAMES_IN_FLIGHT`` frames wait to be drawn, playing trains on without sending
more (a widget that no view shows trains on too).
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import json
import typing
import uuid
from collections.abc import Callable, Mapping
from dataclasses import fields
from pathlib import Path
from typing import Any, ClassVar

import anywidget
import numpy as np
import traitlets

from .figures import Frame
from .figures.commands import TrainingFinished, settle
from .protocol import FIGURES, FRAMES_PER_SECOND, PLAY_COMMANDS, FigureProtocol, ProtocolError, StepClock, encode_frame

STATIC = Path(__file__).parent / "static"
# The page's stylesheets, the article's own first; the widget takes the figures' rules from them.
STYLESHEETS = ("style.css", "uplot.css", *(f"{protocol.name}.css" for protocol in FIGURES.values()))
ROOT_CLASS = "dp-widget"
FRAMES_IN_FLIGHT = 2  # frames sent that the view has not yet said it drew; beyond this, playing waits
DRAWN = "drawn"  # the view's acknowledgement of a frame, beside the figure's commands


def scoped_css() -> str:
    """The page's styles, nested under the widget's root element so that none of them reaches the notebook
    around it: the article's custom properties move from ``:root`` to that element, and the rules for the
    page's own elements (body, headings, links) match only inside it."""
    sheets = [(STATIC / name).read_text(encoding="utf-8") for name in STYLESHEETS if (STATIC / name).exists()]
    text = "\n".join(sheets).replace(":root {", "& {")
    # A figure box on the page stands out of the text column; in a notebook's output it fills its cell.
    return f".{ROOT_CLASS} {{\n{text}\n.figure {{ margin: 0; }}\n}}\n"


def _json_value(value: Any) -> Any:
    """A value from Python as the page would send it: numpy's numbers and arrays as plain ones."""
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    return value


class FigureWidget(anywidget.AnyWidget):
    """A figure in a notebook. Each figure's class (``Playground``, ``DataFlow`` …) is made by
    ``widget_class``; its keyword arguments are the figure's settings."""

    _esm = STATIC / "app.js"
    _css = scoped_css()
    figure_name = traitlets.Unicode().tag(sync=True)
    frame = traitlets.Bytes(b"").tag(sync=True)
    frame_number = traitlets.Int(0).tag(sync=True)  # of the frame in ``frame``: the view's acknowledgements name it
    # This widget among all in the page: its views count each other by it (anywidget gives each view a model
    # of its own).
    widget_key = traitlets.Unicode().tag(sync=True)

    protocol: ClassVar[FigureProtocol]
    settings: ClassVar[tuple[str, ...]]  # the fields of the figure's ``set`` command, each a trait
    # Until __init__ has made them (closing a widget whose settings were refused finds them here).
    _playing: asyncio.Task[None] | None = None
    _shown: Frame | None = None

    def __init__(self, **settings: Any) -> None:
        unknown = sorted(set(settings) - set(self.settings))
        if unknown:
            raise TypeError(
                f"{type(self).__name__} has no setting {', '.join(map(repr, unknown))}; its settings are "
                f"{', '.join(self.settings)}"
            )
        self._adopting = False  # the traits are being set from a frame: nothing to carry out
        self._answered: int | None = None
        self._drawn = 0  # the newest frame a view has said it drew
        self._clock: StepClock | None = None
        self._play_id: int | None = None
        self.figure = self._build({name: _json_value(value) for name, value in settings.items()})
        super().__init__(figure_name=self.protocol.name, widget_key=uuid.uuid4().hex)
        self._show()
        self.on_msg(self._receive)

    # -- what Python reads ----------------------------------------------------------------------------
    @property
    def values(self) -> dict[str, Any]:
        """The numbers the view shows now (its readouts), as the figure computed them."""
        assert self._shown is not None
        return self._shown.values

    @property
    def arrays(self) -> dict[str, np.ndarray]:
        """The arrays the view draws now (masks, maps, curves …), by name."""
        assert self._shown is not None
        return self._shown.arrays

    @property
    def playing(self) -> bool:
        """Whether the figure is training live now (Play, or ``play(rate)``)."""
        return self._playing is not None

    def __getattr__(self, name: str) -> Any:
        # The figure's own state, so that a student can go on in code: ``w.net``, ``w.masks``, ``w.data`` …
        figure = self.__dict__.get("figure")
        if name.startswith("_") or figure is None:
            raise AttributeError(name)
        try:
            return getattr(figure, name)
        except AttributeError:
            raise AttributeError(f"{type(self).__name__!r} widget has no attribute {name!r}") from None

    # -- the figure -----------------------------------------------------------------------------------
    def _build(self, settings: Mapping[str, Any]) -> Any:
        """The figure for these settings, checked as the page's ``set`` would check them."""
        try:
            command = self.protocol.parse(json.dumps({"type": "set", **settings}))
            given = {name: getattr(command, name) for name in self.settings if getattr(command, name) is not None}
            settings_type = self.protocol.figure_class.settings_type  # type: ignore[attr-defined]
            return self.protocol.figure_class(settings_type(**given))
        except ValueError as error:  # a ProtocolError from the command, or the figure's own refusal
            raise traitlets.TraitError(str(error)) from None

    def _carry_out(self, message: Mapping[str, Any]) -> Any:
        """Carry out one command, given as the page sends it; ``ProtocolError`` says why it was refused."""
        command = self.protocol.parse(json.dumps(message))
        if command.type == "play":
            self._play(command.rate, command.id)
            result = None
        elif command.type == "pause":
            self._pause()
            result = None
        else:
            result = self.protocol.apply(self.figure, command)
        if command.id is not None:
            self._answered = command.id
        self._show()
        return result

    def _show(self) -> None:
        """Send the figure's frame, and set the settings' traits to what it shows."""
        frame = self._shown = self.figure.frame()
        playing = None if self.protocol.played is None else self._playing is not None
        encoded = encode_frame(self.protocol.name, frame, self._answered, playing=playing)
        with self.hold_sync():  # the frame and its number in one message
            self.frame = encoded
            self.frame_number += 1
        shown = frame.values.get("settings", {})
        self._adopting = True
        try:
            with self.hold_trait_notifications():
                for name in self.settings:
                    if name in shown:
                        value = shown[name]
                        setattr(self, name, tuple(value) if isinstance(value, list) else value)
        finally:
            self._adopting = False

    def _receive(self, _widget: Any, content: Any, _buffers: Any) -> None:
        if isinstance(content, dict) and content.get("type") == DRAWN:
            number = content.get("frame")
            if isinstance(number, int):
                # Two views of one widget both say so: the one further on counts, so that a view closed
                # without a word never holds the others back.
                self._drawn = max(self._drawn, min(number, self.frame_number))
            return
        request_id = content.get("id") if isinstance(content, dict) else None
        request_id = request_id if isinstance(request_id, int) and not isinstance(request_id, bool) else None
        try:
            self._carry_out(content if isinstance(content, dict) else {"type": content})
        except ProtocolError as error:
            self.send(
                {
                    "type": "error",
                    "message": str(error),
                    "id": request_id if request_id is not None else error.request_id,
                }
            )

    def _setting_changed(self, proposal: Mapping[str, Any]) -> Any:
        name, value = proposal["trait"].name, _json_value(proposal["value"])
        if self._adopting or value == _json_value(getattr(self, name)):
            return value
        try:
            self._carry_out({"type": "set", name: value})
        except ProtocolError as error:
            raise traitlets.TraitError(str(error)) from None
        return getattr(self, name)

    # -- playing --------------------------------------------------------------------------------------
    def _play(self, rate: int, request_id: int | None) -> None:
        if self.protocol.played is None:
            raise ProtocolError(f"the {self.protocol.name} figure has nothing to play", request_id)
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            raise ProtocolError(
                "playing needs a running event loop, as a notebook's kernel has; "
                f"call {self.protocol.played[0]}(steps) to train without one",
                request_id,
            ) from None
        self._clock = StepClock(rate, loop.time())
        self._play_id = request_id
        if self._playing is None:
            self._playing = loop.create_task(self._run())

    def _pause(self) -> None:
        task, self._playing = self._playing, None
        if task is not None:
            task.cancel()
            settle(self.figure)

    async def _run(self) -> None:
        assert self.protocol.played is not None and self._clock is not None
        name, most = self.protocol.played
        train = self.protocol.methods[name]
        loop = asyncio.get_running_loop()
        next_frame = loop.time()
        while True:
            now = loop.time()
            owed = self._clock.owed(now)
            if owed == 0:
                await asyncio.sleep(self._clock.seconds_until_owed(now))
                continue
            try:
                self._clock.took(int(train(self.figure, steps=min(owed, most))))
                now = loop.time()
                if now >= next_frame and self.frame_number - self._drawn < FRAMES_IN_FLIGHT:
                    self._show()
                    next_frame = max(next_frame + 1 / FRAMES_PER_SECOND, now)
            except TrainingFinished:
                return self._stopped()
            except ValueError as error:  # a run that diverged, or a frame that could not be sent
                self.send({"type": "error", "message": str(error), "id": self._play_id})
                return self._stopped()
            await asyncio.sleep(0)  # the kernel's other work, between two chunks

    def _stopped(self) -> None:
        """Playing has stopped by itself: a frame says so."""
        self._playing = None
        settle(self.figure)
        with contextlib.suppress(ProtocolError):  # a frame that cannot be sent: the view keeps its last
            self._show()

    def close(self) -> None:
        """Close the widget and its views; a figure playing stops."""
        self._pause()
        super().close()


def _trait_for(annotation: Any, default: Any) -> traitlets.TraitType[Any, Any]:
    """A trait for one field of a ``set`` command (``float | None``, ``tuple[int, int] | None`` …). Its type
    is checked here; its range, by the figure when it is set."""
    kinds = [kind for kind in typing.get_args(annotation) if kind is not type(None)] or [annotation]
    kind, origin = kinds[0], typing.get_origin(kinds[0])
    if origin is tuple:
        return traitlets.Tuple(default_value=tuple(default))
    if kind is float:
        return traitlets.Float(default)
    if kind is int:
        return traitlets.Int(default)
    return traitlets.Unicode(default)  # a name: a dataset, a task, a mode


def _command_method(name: str, method: Callable[..., Any]) -> Callable[..., Any]:
    parameters = [p for p in inspect.signature(method).parameters.values() if p.name != "self"]

    def carry_out(self: FigureWidget, *args: Any, **kwargs: Any) -> Any:
        bound = inspect.Signature(parameters).bind(*args, **kwargs)
        bound.apply_defaults()
        message = {"type": name, **{key: _json_value(value) for key, value in bound.arguments.items()}}
        try:
            return self._carry_out(message)
        except ProtocolError as error:
            raise ValueError(str(error)) from None

    carry_out.__name__ = name
    carry_out.__doc__ = method.__doc__
    self_parameter = inspect.Parameter("self", inspect.Parameter.POSITIONAL_ONLY)
    carry_out.__signature__ = inspect.Signature([self_parameter, *parameters])  # type: ignore[attr-defined]
    return carry_out


def _play_method(self: FigureWidget, rate: int = 1500) -> None:
    """Train live at ``rate`` steps a second, on the kernel's event loop, until ``pause()`` or the cap."""
    try:
        self._carry_out({"type": "play", "rate": rate})
    except ProtocolError as error:
        raise ValueError(str(error)) from None


def _pause_method(self: FigureWidget) -> None:
    """Stop training live."""
    self._carry_out({"type": "pause"})


def widget_class(protocol: FigureProtocol) -> type[FigureWidget]:
    """The widget class of one figure: a trait for each of its settings, a method for each of its commands."""
    figure_class = protocol.figure_class
    defaults = figure_class.settings_type()  # type: ignore[attr-defined]
    default_of = {field.name: getattr(defaults, field.name) for field in fields(defaults)}
    names = tuple(protocol.command_fields.get("set", {}))
    namespace: dict[str, Any] = {
        "protocol": protocol,
        "settings": names,
        "__doc__": (figure_class.__doc__ or "").strip(),
        "__module__": __name__,
    }
    for name in names:
        # Synced too, so that a host that reads the model (marimo's widget.value) sees the settings.
        namespace[name] = _trait_for(protocol.command_fields["set"][name], default_of[name]).tag(sync=True)
    namespace["_validate_settings"] = traitlets.validate(*names)(FigureWidget._setting_changed)
    for command in protocol.command_types:
        if command not in ("set", *PLAY_COMMANDS):
            namespace[command] = _command_method(command, protocol.methods[command])
    if protocol.played is not None:
        namespace["play"] = _play_method
        namespace["pause"] = _pause_method
    namespace.update(EXTRAS.get(protocol.name, {}))
    return type(figure_class.__name__, (FigureWidget,), namespace)


def _predictions(self: FigureWidget) -> np.ndarray:
    """The class probabilities at the probe of the sub-network shown (of the whole network in eval mode)."""
    return np.array(self.values["prediction"])


# What a figure's widget offers besides its settings and commands.
EXTRAS: dict[str, dict[str, Any]] = {"playground": {"predictions": property(_predictions)}}


# The widget classes by name, each named as its figure's class: Playground, DataFlow …
WIDGETS: dict[str, type[FigureWidget]] = {
    protocol.figure_class.__name__: widget_class(protocol) for protocol in FIGURES.values()
}
