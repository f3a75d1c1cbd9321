// MC dropout beside a deep ensemble: the mean and ± 2 predictive sd band of T dropout passes, and of five
// networks trained without dropout, on training points with a gap between them. Everything it shows
// comes from the model's "frame"; everything the student does goes back as a command. A change of the
// points, p or the seed makes the server start the networks again; the view then asks for training,
// chunk by chunk, until they are trained.

import type { HostMessage, WidgetModel } from "../model";
import type { Frame } from "../wire";
import { CheckedInputs } from "../shared/checked-input";
import { Commands, LatestSender, Loop, type Command, type Outcome } from "../shared/commands";
import { html } from "../shared/dom";
import { readPalette } from "../shared/palette";
import { FigureLifecycle } from "../shared/lifecycle";
import { Status } from "../shared/status";
import { BandChart, ChartLegend, methodColours } from "./chart";
import { Controls } from "./controls";
import { PointsEditor } from "./points";
import { BandReadout, NumbersTable, Progress, chartLabel, chartTitle } from "./readouts";
import { mcFrame, type McFrame } from "./types";

const TRAIN_CHUNK = 400; // the most the server trains per command; it stops sooner to keep up with frames
// Frames come back about every 15 ms; this keeps training under the server's 60 messages a second and
// leaves room for the student's own commands.
const TRAIN_INTERVAL_MS = 20;

export function render({ model, el }: { model: WidgetModel; el: HTMLElement }): () => void {
  // The page labels the figure's container; a label needs a role to be announced.
  if (!el.hasAttribute("role")) el.setAttribute("role", "group");
  const palette = readPalette(el);
  const colours = methodColours(palette);
  const checked = new CheckedInputs(el, model); // a refused coordinate is said next to its box
  const commands = new Commands(checked.model);
  const pSender = new LatestSender(commands);
  const status = new Status();
  let frame: McFrame | null = null;
  let lastError = "";
  // Training runs only after the student changed what the networks learn (or asked to continue).
  let trainingWanted = false;

  const training = new Loop(
    commands,
    () => ({ type: "train", steps: TRAIN_CHUNK }),
    (running: boolean, outcome?: Outcome) => {
      if (!running && outcome === "error") status.error(`${lastError} Training stopped.`);
      if (!running) trainingWanted = false;
      progress.update(frame?.values ?? null, running);
    },
  );
  training.intervalMs = TRAIN_INTERVAL_MS;

  const retrain = (command: Command, sender?: LatestSender): void => {
    trainingWanted = true;
    if (sender) sender.push(command);
    else void commands.send(command);
  };

  // Point edits go out one at a time, each against the points the last frame showed, so that a point
  // removed right after another is still the one the student meant.
  let edits: Promise<unknown> = Promise.resolve();
  const editPoints = (next: () => Command | null): void => {
    edits = edits.then(() => {
      const command = next();
      if (command === null) return;
      trainingWanted = true;
      return commands.send(command);
    });
  };
  const addPoint = (x: number, y: number): void =>
    editPoints(() => {
      const values = frame?.values;
      if (!values) return null;
      if (values.points.length >= values.max_points) {
        status.error(`The figure holds at most ${values.max_points} points: remove one first.`);
        return null;
      }
      return { type: "add_point", x, y };
    });
  const removePoint = (index: number): void => {
    const meant = frame?.values.points[index];
    if (!meant) return;
    editPoints(() => {
      const values = frame?.values;
      if (!values) return null;
      if (values.points.length <= values.min_points) {
        status.error(`The figure needs at least ${values.min_points} points.`);
        return null;
      }
      const found = values.points.findIndex(([x, y]) => x === meant[0] && y === meant[1]);
      return found < 0 ? null : { type: "remove_point", index: found };
    });
  };

  const controls = new Controls({
    setP: (p) => retrain({ type: "set", p }, pSender),
    setT: (T) => void commands.send({ type: "set", T }),
    resample: () => void commands.send({ type: "resample" }),
  });
  const progress = new Progress(() => {
    trainingWanted = true;
    training.start();
  });
  const chartActions = { add: addPoint, remove: removePoint };
  const mcChart = new BandChart(palette, "mc", colours.mc, chartActions);
  const ensembleChart = new BandChart(palette, "ensemble", colours.ensemble, chartActions);
  const legend = new ChartLegend(palette);
  const bands = new BandReadout();
  const numbers = new NumbersTable();
  const points = new PointsEditor({
    add: addPoint,
    remove: removePoint,
    reset: () => editPoints(() => ({ type: "reset_points" })),
  });
  const lifecycle = new FigureLifecycle(el, status, model);
  const stage = html(
    "div",
    { class: "mc-stage" },
    html("div", { class: "mc-pair" }, mcChart.element, ensembleChart.element),
    lifecycle.notice,
  );
  const hint = html(
    "p",
    { class: "mc-hint" },
    "Click or tap empty space in either chart to add a training point; click a point to remove it. " +
      "The six networks then train again from their first weights.",
  );
  el.replaceChildren(
    controls.element,
    progress.element,
    stage,
    legend.element,
    hint,
    bands.element,
    points.element,
    numbers.element,
    status.element,
  );

  function refresh(): void {
    controls.update(frame?.values ?? null, pSender.idle);
    points.update(frame?.values ?? null);
    progress.update(frame?.values ?? null, training.running);
  }

  function draw(): void {
    const raw = model.get("frame") as Frame | undefined;
    if (!raw) return refresh();
    try {
      frame = mcFrame(raw);
    } catch (error) {
      status.error(String(error));
      return;
    }
    lifecycle.frameDrawn();
    const { values, arrays } = frame;
    if (values.trained) {
      training.stop();
      trainingWanted = false;
    } else if (trainingWanted && !lifecycle.offline) training.start();
    refresh();
    const n = arrays.curveX.length;
    mcChart.update(
      frame,
      { mean: arrays.mcMean, sd: arrays.mcSd, thin: arrays.passes, rows: arrays.passes.length / n },
      chartTitle("mc", values),
      chartLabel("mc", values),
    );
    ensembleChart.update(
      frame,
      { mean: arrays.ensembleMean, sd: arrays.ensembleSd, thin: arrays.memberCurves, rows: values.members },
      chartTitle("ensemble", values),
      chartLabel("ensemble", values),
    );
    legend.update(values.thin_passes, values.members);
    bands.update(frame);
    numbers.update(frame);
  }

  function message(content: HostMessage): void {
    if (content.type === "error") {
      if (lifecycle.offline || checked.claim(content)) return;
      lastError = /[.!?]$/.test(content.message) ? content.message : `${content.message}.`;
      status.error(content.message);
      if (!training.running) trainingWanted = false;
      // A refused setting leaves the controls showing what the figure really uses.
      controls.update(frame?.values ?? null, true);
    }
    // The connection's ups and downs are the lifecycle's: training waits for it and carries on.
  }

  model.on("change:frame", draw);
  model.on("msg:custom", message);
  draw();
  return () => {
    training.stop();
    mcChart.destroy();
    ensembleChart.destroy();
    model.off?.("change:frame", draw);
    model.off?.("msg:custom", message);
  };
}

export default { render };
