// The ensemble grid: sub-networks of the playground's trained network side by side, the average of
// their predictions and the eval network's. Everything it shows comes from the model's "frame";
// everything the student does goes back as a command.

import type { HostMessage, WidgetModel } from "../model";
import type { Frame } from "../wire";
import { Commands, LatestSender } from "../shared/commands";
import { html } from "../shared/dom";
import { readPalette } from "../shared/palette";
import { FigureLifecycle } from "../shared/lifecycle";
import { Status } from "../shared/status";
import { Controls } from "./controls";
import { LargeMap, MemberTiles } from "./maps";
import { Counters, Summary } from "./readouts";
import { gridFrame, type GridFrame } from "./types";

export function render({ model, el }: { model: WidgetModel; el: HTMLElement }): () => void {
  // The page labels the figure's container; a label needs a role to be announced.
  if (!el.hasAttribute("role")) el.setAttribute("role", "group");
  const palette = readPalette(el);
  const commands = new Commands(model);
  const pSender = new LatestSender(commands);
  const status = new Status();
  let frame: GridFrame | null = null;

  const controls = new Controls({
    setP: (p) => pSender.push({ type: "set", p }),
    setMembers: (members) => void commands.send({ type: "set", members }),
    resample: () => void commands.send({ type: "resample" }),
    setDataset: (dataset) => void commands.send({ type: "set", dataset }),
  });
  const counters = new Counters();
  const tiles = new MemberTiles(palette);
  const average = new LargeMap(palette, "average", "Arithmetic mean of the members' class probabilities.");
  const full = new LargeMap(palette, "eval", "Every unit, weights as trained: one pass.");
  const summary = new Summary();
  const legend = html(
    "p",
    { class: "gr-legend-line" },
    html("span", { class: "gr-key is-kept", "aria-hidden": "true" }),
    " kept unit ",
    html("span", { class: "gr-key", "aria-hidden": "true" }),
    " dropped unit (top row: hidden layer 1, bottom row: hidden layer 2) · % = test accuracy",
  );
  const lifecycle = new FigureLifecycle(el, status, model);
  const notice = lifecycle.notice;
  const stage = html(
    "div",
    { class: "gr-stage" },
    tiles.element,
    legend,
    html("div", { class: "gr-pair" }, average.element, full.element),
    notice,
  );
  el.replaceChildren(controls.element, counters.element, stage, summary.element, status.element);

  function draw(): void {
    const raw = model.get("frame") as Frame | undefined;
    if (!raw) return controls.update(null, pSender.idle);
    try {
      frame = gridFrame(raw);
    } catch (error) {
      status.error(String(error));
      return;
    }
    lifecycle.frameDrawn();
    const { values, arrays } = frame;
    controls.update(values, pSender.idle);
    counters.update(frame);
    tiles.update(frame);
    const members = values.settings.members;
    average.update(frame, arrays.averageMap, `Average of the ${members} members`, values.average_accuracy);
    full.update(frame, arrays.evalMap, "Eval network (all units, no dropout)", values.eval_accuracy);
    summary.update(frame);
  }

  function message(content: HostMessage): void {
    if (content.type === "error") {
      if (!lifecycle.offline) status.error(content.message);
      // A refused setting leaves the controls showing what the figure really uses.
      controls.update(frame?.values ?? null, pSender.idle);
    }
    // The connection's ups and downs are the lifecycle's.
  }

  model.on("change:frame", draw);
  model.on("msg:custom", message);
  draw();
  return () => {
    model.off?.("change:frame", draw);
    model.off?.("msg:custom", message);
  };
}

export default { render };
