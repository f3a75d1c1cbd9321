// Before and after: two networks, one without dropout and one with, trained side by side while the
// student watches. Everything it shows comes from the model's "frame"; Play asks the server for chunks
// of training steps at the chosen speed, never faster than the frames come back.

import type { HostMessage, WidgetModel } from "../model";
import type { Frame } from "../wire";
import { CheckedInputs } from "../shared/checked-input";
import { Commands, LatestSender, type Command } from "../shared/commands";
import { html } from "../shared/dom";
import { readPalette } from "../shared/palette";
import { FigureLifecycle } from "../shared/lifecycle";
import { Status } from "../shared/status";
import { chartLegend, LossChart, networkColours } from "./chart";
import { Controls } from "./controls";
import { Panel } from "./panels";
import { PacedDrawing } from "../shared/paced-drawing";
import { AtMost, CHARTS_PER_SECOND_WHILE_TRAINING } from "../shared/at-most";
import { PlayLoop } from "../shared/play";
import { Readouts } from "./readouts";
import { SPEEDS, SPEED_NAMES, overfittingFrame, type OverfittingFrame, type Speed } from "./types";

const STEP_BUTTON_STEPS = 10;

function isSpeed(value: unknown): value is Speed {
  return typeof value === "string" && (SPEED_NAMES as readonly string[]).includes(value);
}

export function render({ model, el }: { model: WidgetModel; el: HTMLElement }): () => void {
  if (!el.hasAttribute("role")) el.setAttribute("role", "group");
  const palette = readPalette(el);
  const colours = networkColours(palette);
  const checked = new CheckedInputs(el, model); // a refused value is said next to its box
  const commands = new Commands(checked.model);
  const sliderSender = new LatestSender(commands);
  const status = new Status();
  const chartsDue = new AtMost(CHARTS_PER_SECOND_WHILE_TRAINING);
  let frame: OverfittingFrame | null = null;
  const speed = (): Speed => {
    const chosen = model.get("speed");
    return isSpeed(chosen) ? chosen : "normal";
  };

  const play = new PlayLoop(
    commands,
    checked.model,
    () => SPEEDS[speed()],
    (running) => {
      controls.playing(running);
      readouts.announce(running);
    },
  );

  const send = (command: Command): void => void commands.send(command);
  const controls = new Controls(
    {
      togglePlay: () => {
        if (play.running) return play.stop();
        if (frame?.values.at_cap) {
          return status.error("Both networks have trained the most steps this figure allows: press Reset to start again.");
        }
        play.play();
      },
      step: () => {
        play.stop();
        send({ type: "train", steps: STEP_BUTTON_STEPS });
      },
      reset: () => {
        play.stop();
        send({ type: "reset" });
      },
      setSpeed: (name) => {
        model.set("speed", name);
        model.save_changes();
        play.rebase();
      },
      setTask: (task) => send({ type: "set", task }),
      setP: (p) => sliderSender.push({ type: "set", p }),
      setNoise: (noise) => sliderSender.push({ type: "set", noise }),
      setPoints: (points) => send({ type: "set", points }),
      setWidth: (width) => send({ type: "set", width }),
      setSeed: (seed) => send({ type: "set", seed }),
    },
    [4, 16, 64],
  );
  controls.speedShown(speed());

  const none = new Panel(palette, "none", colours.none);
  const dropout = new Panel(palette, "dropout", colours.dropout);
  const chart = new LossChart(palette);
  const readouts = new Readouts();
  const lifecycle = new FigureLifecycle(el, status, model);
  const chartSummary = html("p", { class: "of-chart-summary of-visually-hidden", "data-readout": "chart-summary" });
  el.replaceChildren(
    controls.element,
    html("div", { class: "of-stage" }, html("div", { class: "of-panels" }, none.element, dropout.element), lifecycle.notice),
    html(
      "div",
      { class: "of-curves" },
      html("p", { class: "of-chart-title" }, "Train and test loss of both networks, as they train"),
      chart.element,
      chartSummary,
      chartLegend(palette),
    ),
    readouts.summary,
    readouts.element,
    readouts.capNotice(),
    readouts.numbers,
    status.element,
  );
  readouts.numbers.addEventListener("toggle", () => {
    if (frame && (readouts.numbers as HTMLDetailsElement).open) readouts.fillNumbers(frame);
  });

  function draw(): void {
    const raw = model.get("frame") as Frame | undefined;
    if (!raw) return controls.update(null, true);
    let next: OverfittingFrame;
    try {
      next = overfittingFrame(raw);
    } catch (error) {
      status.error(String(error));
      return;
    }
    // A new run (settings changed, or Reset) starts the step count again: Play follows it from there.
    if (frame && next.values.step < frame.values.step) {
      frame = next;
      play.rebase();
    }
    frame = next;
    lifecycle.frameDrawn();
    controls.update(frame.values, sliderSender.idle);
    none.update(frame);
    dropout.update(frame);
    // While training runs the charts are redrawn 15 times a second, the rest of the figure 30.
    if (chartsDue.due(!play.running)) chart.update(frame);
    readouts.update(frame, (readouts.numbers as HTMLDetailsElement).open);
    const [a, b] = frame.values.networks;
    chartSummary.textContent =
      `Loss curves over ${frame.values.step} steps. Without dropout: train ${a.train_loss.toPrecision(3)}, ` +
      `test ${a.test_loss.toPrecision(3)}, best test ${a.best_test_loss.toPrecision(3)} at step ${a.best_step}. ` +
      `With dropout: train ${b.train_loss.toPrecision(3)}, test ${b.test_loss.toPrecision(3)}, ` +
      `best test ${b.best_test_loss.toPrecision(3)} at step ${b.best_step}.`;
    if (frame.values.at_cap) play.stop();
  }

  function message(content: HostMessage): void {
    if (content.type === "error") {
      if (!lifecycle.offline && !checked.claim(content)) status.error(content.message);
      controls.update(frame?.values ?? null, sliderSender.idle);
    }
    // While a long link is replayed its settings are known: the controls show them (disabled) meanwhile.
    if (content.type === "progress") {
      controls.showSettings(content.settings as unknown as OverfittingFrame["values"]["settings"]);
    }
    // The connection's ups and downs are the lifecycle's: Play waits for it and carries on.
  }

  // While Play runs, frames come faster than the eye needs: the newest is drawn about 30 times a second.
  const drawing = new PacedDrawing(draw);
  const schedule = (): void => drawing.schedule();

  model.on("change:frame", schedule);
  model.on("msg:custom", message);
  draw();
  return () => {
    play.dispose();
    chart.destroy();
    drawing.cancel();
    model.off?.("change:frame", schedule);
    model.off?.("msg:custom", message);
  };
}

export default { render };
