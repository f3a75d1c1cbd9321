// Data flow, with numbers: one mask at a time through a 2 → 4 → 1 network, and the running mean of the
// output over the masks drawn so far. Everything it shows comes from the model's "frame"; everything
// the student does goes back as a command.

import type { HostMessage, WidgetModel } from "../model";
import type { Frame } from "../wire";
import { CheckedInputs } from "../shared/checked-input";
import { Commands, LatestSender, Loop, type Outcome } from "../shared/commands";
import { html } from "../shared/dom";
import { readPalette } from "../shared/palette";
import { FigureLifecycle } from "../shared/lifecycle";
import { Status } from "../shared/status";
import { ConvergenceChart } from "./chart";
import { Controls } from "./controls";
import { NetworkDrawing } from "./network";
import { Readouts } from "./readouts";
import { dataFlowFrame, type DataFlowFrame } from "./types";
import { UnitTable } from "./units";

const AUTO_PER_SECOND = 3; // new masks a second at most, for photosensitive readers
const CALM_PER_SECOND = 1; // under prefers-reduced-motion

export function render({ model, el }: { model: WidgetModel; el: HTMLElement }): () => void {
  // The page labels the figure's container; a label needs a role to be announced.
  if (!el.hasAttribute("role")) el.setAttribute("role", "group");
  el.classList.add("df-figure");
  const palette = readPalette(el);
  // A refused value is said next to its box; the status line says the rest.
  const checked = new CheckedInputs(el, model);
  const commands = new Commands(checked.model);
  const settings = new LatestSender(commands);
  const status = new Status();
  let frame: DataFlowFrame | null = null;
  let lastError = "";
  const addressProblems: string[] = [];

  const auto = new Loop(
    commands,
    () => ({ type: "resample", count: 1 }),
    (running: boolean, outcome?: Outcome) => {
      if (!running && outcome === "error") status.error(`${lastError} Auto stopped.`);
      refresh();
    },
  );
  const calm = matchMedia("(prefers-reduced-motion: reduce)").matches;
  auto.intervalMs = 1000 / (calm ? CALM_PER_SECOND : AUTO_PER_SECOND);

  const controls = new Controls({
    setP: (p) => settings.push({ type: "set", p }),
    setScaling: (scaling) => settings.push({ type: "set", scaling }),
    setProbe: (x1, x2) => settings.push({ type: "set", probe: [x1, x2] }),
    setSeed: (seed) => settings.push({ type: "set", seed }),
    resample: (count) => void commands.send({ type: "resample", count }),
    toggleAuto: () => (auto.running ? auto.stop() : auto.start()),
    startOver: () => void commands.send({ type: "reset" }),
  });
  const network = new NetworkDrawing(palette);
  const readouts = new Readouts();
  const chart = new ConvergenceChart();
  const units = new UnitTable();
  const lifecycle = new FigureLifecycle(el, status, model);
  const notice = lifecycle.notice;
  const side = html("div", { class: "df-side" }, readouts.element, chart.element);
  const stage = html("div", { class: "df-stage" }, network.element, side, notice);
  el.replaceChildren(controls.element, stage, units.element, status.element);

  function refresh(): void {
    controls.update(frame?.values ?? null, { auto: auto.running, pSettled: settings.idle });
  }

  function draw(): void {
    const raw = model.get("frame") as Frame | undefined;
    if (!raw) return refresh();
    try {
      frame = dataFlowFrame(raw);
    } catch (error) {
      status.error(String(error));
      return;
    }
    lifecycle.frameDrawn();
    refresh();
    network.update(frame);
    readouts.update(frame.values);
    chart.update(frame);
    units.update(frame.values);
  }

  function message(content: HostMessage): void {
    if (content.type === "error") {
      if (lifecycle.offline || checked.claim(content)) return;
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
    model.off?.("change:frame", draw);
    model.off?.("msg:custom", message);
  };
}

export default { render };
