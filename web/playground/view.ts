// The playground figure: a trained network seen one sub-network at a time. Everything it shows comes
// from the model's "frame"; everything the student does goes back as a command.

import type { HostMessage, WidgetModel } from "../model";
import type { Frame } from "../wire";
import { CheckedInputs } from "../shared/checked-input";
import { Commands, LatestSender, Loop, type Outcome } from "../shared/commands";
import { PacedDrawing } from "../shared/paced-drawing";
import { AtMost, CHARTS_PER_SECOND_WHILE_TRAINING } from "../shared/at-most";
import { PlayLoop } from "../shared/play";
import { TrainingCurves } from "./curves";
import { Controls } from "./controls";
import { html, setText } from "../shared/dom";
import { DecisionMap } from "./heatmap";
import { NetworkDrawing } from "./network";
import { readPalette } from "../shared/palette";
import { Counters, Prediction } from "./readouts";
import { FigureLifecycle } from "../shared/lifecycle";
import { Status } from "../shared/status";
import {
  SPEEDS,
  TRAINING_SPEEDS,
  playgroundFrame,
  type Mode,
  type PlaygroundFrame,
  type PlaygroundSettings,
  type TrainingSpeed,
} from "./types";

const DEFAULT_SPEED = 3; // new masks a second: no faster, for photosensitive readers
const CALM_SPEED = 1;

function isTrainingSpeed(value: unknown): value is TrainingSpeed {
  return typeof value === "string" && value in TRAINING_SPEEDS;
}

function startingSpeed(model: WidgetModel): number {
  const asked = Number(model.get("speed"));
  if ((SPEEDS as readonly number[]).includes(asked)) return asked;
  return matchMedia("(prefers-reduced-motion: reduce)").matches ? CALM_SPEED : DEFAULT_SPEED;
}

/** What training does, and what the picture shows meanwhile: training always drops units at p. */
function trainingText({ values }: PlaygroundFrame): string {
  const p = values.settings.p.toFixed(2);
  const picture =
    values.settings.mode === "eval"
      ? "the picture shows the eval network, every unit used"
      : "the picture shows the sub-network drawn last";
  const trains = `Training drops units at p = ${p}, a new mask for every example of every step; ${picture}.`;
  if (values.steps > 0) return trains;
  return (
    `${trains} Untrained, the weights are random: the map and the accuracy are arbitrary, not a classifier's ` +
    "(and can be below chance). Press Train network."
  );
}

export function render({ model, el }: { model: WidgetModel; el: HTMLElement }): () => void {
  // The page labels the figure's container; a label needs a role to be announced.
  if (!el.hasAttribute("role")) el.setAttribute("role", "group");
  const palette = readPalette(el);
  const checked = new CheckedInputs(el, model); // a refused seed is said next to its box
  const commands = new Commands(checked.model);
  const settings = new LatestSender(commands);
  const probe = new LatestSender(commands);
  const status = new Status();
  const chartsDue = new AtMost(CHARTS_PER_SECOND_WHILE_TRAINING);
  let frame: PlaygroundFrame | null = null;

  let lastError = "";
  // A loop the server refused to continue stops, and says why in the same line.
  const stopped = (what: string) => (running: boolean, outcome?: Outcome) => {
    if (!running && outcome === "error") status.error(`${lastError} ${what} stopped.`);
    refresh();
  };
  const autoResample = new Loop(commands, () => ({ type: "resample" }), stopped("Auto-resample"));
  const trainingSpeed = (): TrainingSpeed => {
    const chosen = model.get("training_speed");
    return isTrainingSpeed(chosen) ? chosen : "fast";
  };
  const trainingStopped = stopped("Training");
  const training = new PlayLoop(commands, checked.model, () => TRAINING_SPEEDS[trainingSpeed()], (running, outcome) => {
    el.classList.toggle("is-training", running);
    trainingStopped(running, outcome);
  });
  const setSpeed = (perSecond: number): void => {
    autoResample.intervalMs = 1000 / perSecond;
    model.set("speed", perSecond);
    model.save_changes();
  };
  setSpeed(startingSpeed(model));

  const controls = new Controls({
    setP: (p) => settings.push({ type: "set", p }),
    setMode: (mode: Mode) => {
      if (mode === "eval") autoResample.stop();
      settings.push({ type: "set", mode });
    },
    resample: () => void commands.send({ type: "resample" }),
    toggleAutoResample: () => (autoResample.running ? autoResample.stop() : autoResample.start()),
    setSpeed: (perSecond) => {
      setSpeed(perSecond);
      refresh();
    },
    toggleTraining: () => {
      if (training.running) return training.stop();
      if (frame?.values.at_cap) {
        status.error("This network has trained the most steps a link can replay: press Reset to start again.");
        return;
      }
      training.play();
    },
    setTrainingSpeed: (speed) => {
      model.set("training_speed", speed);
      model.save_changes();
      training.rebase();
      refresh();
    },
    reset: () => {
      training.stop();
      void commands.send({ type: "reset" });
    },
    setDataset: (dataset) => void commands.send({ type: "set", dataset }),
    setHidden: (first, second) => void commands.send({ type: "set", hidden: [first, second] }),
    setSeed: (seed) => void commands.send({ type: "set", seed }),
  });
  const network = new NetworkDrawing(palette);
  const map = new DecisionMap(palette, (x, y) => probe.push({ type: "set", probe: [x, y] }));
  const counters = new Counters();
  const curves = new TrainingCurves(palette);
  // What training does, whatever the picture shows (training always drops units; the picture may not).
  const trainingNote = html("p", { class: "pg-training-note", "data-readout": "training-note" });
  const prediction = new Prediction(palette);
  const lifecycle = new FigureLifecycle(el, status, model);
  const notice = lifecycle.notice;
  // The curves stand under the map, so that a student watches the map change and the loss fall together.
  const mapColumn = html(
    "div",
    { class: "pg-map-column" },
    map.element,
    html("div", { class: "pg-training" }, trainingNote, curves.element),
  );
  const stage = html("div", { class: "pg-stage" }, network.element, mapColumn, notice);
  el.replaceChildren(
    controls.element,
    stage,
    html("div", { class: "pg-readouts" }, counters.element, prediction.element),
    status.element,
  );

  function refresh(): void {
    controls.update(frame?.values ?? null, {
      autoResampling: autoResample.running,
      training: training.running,
      speed: Number(model.get("speed")),
      trainingSpeed: trainingSpeed(),
      pSettled: settings.idle,
    });
  }

  function draw(): void {
    const raw = model.get("frame") as Frame | undefined;
    if (!raw) return refresh();
    try {
      frame = playgroundFrame(raw);
    } catch (error) {
      status.error(String(error));
      return;
    }
    lifecycle.frameDrawn();
    refresh();
    network.update(frame);
    map.update(frame);
    map.settle(frame.values.settings.probe, probe.idle);
    counters.update(frame);
    prediction.update(frame);
    // While training runs the charts are redrawn 15 times a second, the rest of the figure 30.
    if (chartsDue.due(!training.running)) curves.update(frame);
    setText(trainingNote, trainingText(frame));
    if (frame.values.at_cap) training.stop();
  }

  // A frame is drawn as it comes, except while training runs flat out: then the newest, about 30 times a second.
  const drawing = new PacedDrawing(draw);
  const frameArrived = (): void => (training.running ? drawing.schedule() : drawing.drawNow());

  function message(content: HostMessage): void {
    if (content.type === "error") {
      if (lifecycle.offline || checked.claim(content)) return;
      lastError = /[.!?]$/.test(content.message) ? content.message : `${content.message}.`;
      status.error(content.message);
    }
    // While a long link is replayed its settings are known: the controls show them (disabled) meanwhile.
    if (content.type === "progress") controls.showSettings(content.settings as unknown as PlaygroundSettings);
    // The connection's ups and downs are the lifecycle's: running loops wait for it and carry on.
  }

  model.on("change:frame", frameArrived);
  model.on("msg:custom", message);
  draw();
  return () => {
    autoResample.stop();
    training.dispose();
    drawing.cancel();
    curves.destroy();
    model.off?.("change:frame", frameArrived);
    model.off?.("msg:custom", message);
  };
}

export default { render };
