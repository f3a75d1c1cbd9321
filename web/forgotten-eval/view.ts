// The forgotten model.eval(): one trained network answers four inputs and a test set in train mode (the
// bug), in eval mode, and as MC dropout. Everything it shows comes from the model's "frame"; everything
// the student does goes back as a command.

import type { HostMessage, WidgetModel } from "../model";
import type { Frame } from "../wire";
import { Commands, Loop, type Outcome } from "../shared/commands";
import { html, setText } from "../shared/dom";
import { FigureLifecycle } from "../shared/lifecycle";
import { classColour, css, readPalette } from "../shared/palette";
import { Status } from "../shared/status";
import { Controls } from "./controls";
import { ProbeMap } from "./map";
import { ModeColumn } from "./modes";
import { Numbers } from "./readouts";
import { forgottenEvalFrame, MODES, type ForgottenEvalFrame } from "./types";

const AUTO_PER_SECOND = 3; // new draws a second at most, for photosensitive readers
const CALM_PER_SECOND = 1; // under prefers-reduced-motion

export function render({ model, el }: { model: WidgetModel; el: HTMLElement }): () => void {
  // The page labels the figure's container; a label needs a role to be announced.
  if (!el.hasAttribute("role")) el.setAttribute("role", "group");
  const palette = readPalette(el);
  const commands = new Commands(model);
  const status = new Status();
  let frame: ForgottenEvalFrame | null = null;
  let lastError = "";
  const addressProblems: string[] = [];

  const auto = new Loop(
    commands,
    () => ({ type: "resample" }),
    (running: boolean, outcome?: Outcome) => {
      if (!running && outcome === "error") status.error(`${lastError} Auto stopped.`);
      refresh();
    },
  );
  const calm = matchMedia("(prefers-reduced-motion: reduce)").matches;
  auto.intervalMs = 1000 / (calm ? CALM_PER_SECOND : AUTO_PER_SECOND);

  const controls = new Controls({
    resample: () => void commands.send({ type: "resample" }),
    toggleAuto: () => (auto.running ? auto.stop() : auto.start()),
    setT: (T) => void commands.send({ type: "set", T }),
  });
  const map = new ProbeMap(palette);
  const columns = MODES.map((mode) => new ModeColumn(mode, palette));
  const numbers = new Numbers();
  const setup = html("p", { class: "fe-setup" });
  const keyItem = (symbol: HTMLElement, text: string): HTMLElement =>
    html("span", { class: "fe-key-item" }, symbol, text);
  const mark = (name: string, text = ""): HTMLElement => html("span", { class: name, "aria-hidden": "true" }, text);
  const swatch = (c: number): HTMLElement => {
    const element = mark("fe-swatch");
    element.style.background = css(classColour(palette, c));
    return element;
  };
  const about = html(
    "div",
    { class: "fe-about" },
    setup,
    html(
      "p",
      { class: "fe-where" },
      "A and B lie inside the two classes, C near the boundary between them, and D far from every " +
        "training point, where no sub-network has seen data.",
    ),
    html(
      "p",
      { class: "fe-class-key" },
      keyItem(swatch(0), "Class 1"),
      keyItem(swatch(1), "Class 2"),
      keyItem(mark("fe-key-whisker"), "± spread of the T passes"),
    ),
  );
  const key = html(
    "p",
    { class: "fe-diagram-key" },
    keyItem(mark("fe-key-bar"), "accuracy in the bin"),
    keyItem(mark("fe-key-circle"), "the bin's mean confidence"),
    keyItem(mark("fe-key-diagonal"), "perfect calibration"),
    keyItem(mark("fe-key-n", "n"), "test points in the bin"),
    html(
      "span",
      { class: "fe-key-note" },
      "Confidence is the larger of the two class probabilities, so it is never below 0.5: the axis starts there.",
    ),
  );
  const lifecycle = new FigureLifecycle(el, status, model);
  const stage = html(
    "div",
    { class: "fe-stage" },
    html("div", { class: "fe-intro" }, map.element, about),
    html("div", { class: "fe-modes" }, ...columns.map((column) => column.element)),
    key,
    lifecycle.notice,
  );
  el.replaceChildren(controls.element, stage, numbers.element, status.element);

  function refresh(): void {
    controls.update(frame?.values ?? null, auto.running);
  }

  function draw(): void {
    const raw = model.get("frame") as Frame | undefined;
    if (!raw) return refresh();
    try {
      frame = forgottenEvalFrame(raw);
    } catch (error) {
      status.error(String(error));
      return;
    }
    lifecycle.frameDrawn();
    const { values } = frame;
    refresh();
    setText(
      setup,
      `One network, trained once with p = ${values.trained_p} on noisy half moons, asked three ways. ` +
        `Seed ${values.settings.seed}.`,
    );
    map.update(frame);
    for (const column of columns) column.update(values);
    numbers.update(values);
  }

  function message(content: HostMessage): void {
    if (content.type === "error") {
      if (lifecycle.offline) return;
      lastError = /[.!?]$/.test(content.message) ? content.message : `${content.message}.`;
      // Problems with the address arrive together before any command: show them all, not the last.
      if (content.id === null && (frame?.id ?? null) === null) addressProblems.push(lastError);
      status.error(content.id === null && addressProblems.length > 1 ? addressProblems.join(" ") : content.message);
      // A refused setting leaves the controls showing what the figure really uses.
      refresh();
    }
    // The connection's ups and downs are the lifecycle's: Auto waits for it and carries on.
  }

  model.on("change:frame", draw);
  model.on("msg:custom", message);
  draw();
  return () => {
    auto.stop();
    for (const column of columns) column.destroy();
    model.off?.("change:frame", draw);
    model.off?.("msg:custom", message);
  };
}

export default { render };
