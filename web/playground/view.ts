// The playground figure: a trained network seen one sub-network at a time. Everything it shows comes
// from the model's "frame"; everything the student does goes back as a command.

import type { HostMessage, WidgetModel } from "../model";
import type { Frame } from "../wire";
import { Commands, LatestSender, Loop, type Outcome } from "../shared/commands";
import { Controls } from "./controls";
import { html } from "../shared/dom";
import { DecisionMap } from "./heatmap";
import { NetworkDrawing } from "./network";
import { readPalette } from "../shared/palette";
import { Counters, Prediction } from "./readouts";
import { FigureLifecycle } from "../shared/lifecycle";
import { Status } from "../shared/status";
import { SPEEDS, playgroundFrame, type Mode, type PlaygroundFrame } from "./types";

const TRAIN_STEPS_PER_FRAME = 5;
const TRAIN_FRAME_INTERVAL_MS = 33; // live training asks for about 30 frames a second at most
const DEFAULT_SPEED = 3; // new masks a second: no faster, for photosensitive readers
const CALM_SPEED = 1;

function startingSpeed(model: WidgetModel): number {
  const asked = Number(model.get("speed"));
  if ((SPEEDS as readonly number[]).includes(asked)) return asked;
  return matchMedia("(prefers-reduced-motion: reduce)").matches ? CALM_SPEED : DEFAULT_SPEED;
}

export function render({ model, el }: { model: WidgetModel; el: HTMLElement }): () => void {
  // The page labels the figure's container; a label needs a role to be announced.
  if (!el.hasAttribute("role")) el.setAttribute("role", "group");
  const palette = readPalette(el);
  const commands = new Commands(model);
  const settings = new LatestSender(commands);
  const probe = new LatestSender(commands);
  const status = new Status();
  let frame: PlaygroundFrame | null = null;

  let lastError = "";
  // A loop the server refused to continue stops, and says why in the same line.
  const stopped = (what: string) => (running: boolean, outcome?: Outcome) => {
    if (!running && outcome === "error") status.error(`${lastError} ${what} stopped.`);
    refresh();
  };
  const autoResample = new Loop(commands, () => ({ type: "resample" }), stopped("Auto-resample"));
  const training = new Loop(commands, () => ({ type: "train", steps: TRAIN_STEPS_PER_FRAME }), stopped("Training"));
  training.intervalMs = TRAIN_FRAME_INTERVAL_MS;
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
    toggleTraining: () => (training.running ? training.stop() : training.start()),
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
  const prediction = new Prediction(palette);
  const lifecycle = new FigureLifecycle(el, status);
  const notice = lifecycle.notice;
  const stage = html("div", { class: "pg-stage" }, network.element, map.element, notice);
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
  }

  function message(content: HostMessage): void {
    if (content.type === "error") {
      if (lifecycle.offline) return;
      lastError = /[.!?]$/.test(content.message) ? content.message : `${content.message}.`;
      status.error(content.message);
    }
    if (content.type !== "connection") return;
    if (content.status === "lost") {
      autoResample.stop();
      training.stop();
    }
    lifecycle.connection(content);
  }

  model.on("change:frame", draw);
  model.on("msg:custom", message);
  draw();
  return () => {
    autoResample.stop();
    training.stop();
    model.off?.("change:frame", draw);
    model.off?.("msg:custom", message);
  };
}

export default { render };
