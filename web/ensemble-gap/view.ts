// Exact versus sampled ensemble: how far the eval network is from the average of K sampled
// sub-networks, and from the exact averages over all of them. Everything it shows comes from the
// model's "frame"; every control sends a "set" command.

import type { HostMessage, WidgetModel } from "../model";
import type { Frame } from "../wire";
import { CheckedInputs } from "../shared/checked-input";
import { Commands, LatestSender } from "../shared/commands";
import { html } from "../shared/dom";
import { readPalette } from "../shared/palette";
import { FigureLifecycle } from "../shared/lifecycle";
import { Status } from "../shared/status";
import { ChartLegend, GapChart } from "./chart";
import { GapControls } from "./controls";
import { Readouts } from "./readouts";
import { gapFrame, type GapFrame } from "./types";

export function render({ model, el }: { model: WidgetModel; el: HTMLElement }): () => void {
  // The page labels the figure's container; a label needs a role to be announced.
  if (!el.hasAttribute("role")) el.setAttribute("role", "group");
  el.classList.add("eg-figure");
  const palette = readPalette(el);
  const checked = new CheckedInputs(el, model); // a refused seed is said next to its box
  const commands = new Commands(checked.model);
  const pSender = new LatestSender(commands);
  const status = new Status();
  let frame: GapFrame | null = null;
  let waiting = 0;

  // Work the server does for a new setting (training a network, enumerating its sub-networks) can take a
  // second or two. Meanwhile the whole figure is marked as updating: busy for screen readers, and, after
  // a moment (a precomputed p answers at once), faded with a note, text included, since every number
  // on it is about to change.
  const updating = html("p", { class: "eg-updating", "aria-hidden": "true" }, "Recomputing…");
  const settle = (): void => {
    if (waiting === 0 && pSender.idle) el.removeAttribute("aria-busy");
  };
  const send = (command: { type: string } & Record<string, unknown>, sender?: LatestSender): void => {
    el.setAttribute("aria-busy", "true");
    if (sender) return sender.push(command);
    waiting++;
    void commands.send(command).finally(() => {
      waiting--;
      settle();
    });
  };

  const controls = new GapControls({
    setNetwork: (network) => send({ type: "set", network }),
    setP: (p) => send({ type: "set", p }, pSender),
    setDataset: (dataset) => send({ type: "set", dataset }),
    setSeed: (seed) => send({ type: "set", seed }),
  });
  const chart = new GapChart(palette);
  const legend = new ChartLegend(palette);
  const readouts = new Readouts();
  const title = html(
    "p",
    { class: "eg-title" },
    "Mean total-variation distance ½Σ|P\u00a0−\u00a0Q| between the eval network's prediction and the " +
      "average of K sampled sub-networks",
  );
  const lifecycle = new FigureLifecycle(el, status, model);
  const notice = lifecycle.notice;
  // The canvas says nothing to a screen reader: the summary under it and the table say it all.
  const plot = html("div", { class: "eg-stage", "aria-hidden": "true" }, chart.element, updating, notice);
  el.replaceChildren(
    controls.element,
    html("div", { class: "eg-figure-body" }, title, plot, legend.element, readouts.summary),
    readouts.element,
    readouts.numbers,
    status.element,
  );

  function draw(): void {
    const raw = model.get("frame") as Frame | undefined;
    if (!raw) return controls.update(null, true);
    try {
      frame = gapFrame(raw);
    } catch (error) {
      status.error(String(error));
      return;
    }
    lifecycle.frameDrawn();
    // The sender of p learns that its command was answered only after this frame is drawn.
    setTimeout(settle, 0);
    controls.update(frame.values, pSender.idle);
    chart.update(frame);
    legend.update(frame);
    readouts.update(frame);
  }

  function message(content: HostMessage): void {
    if (content.type === "error") {
      if (lifecycle.offline || checked.claim(content)) return;
      status.error(content.message);
      if (frame) controls.update(frame.values, true); // put the controls back to what is shown
      setTimeout(settle, 0);
    }
    // The connection's ups and downs are the lifecycle's.
  }

  model.on("change:frame", draw);
  model.on("msg:custom", message);
  draw();
  return () => {
    chart.destroy();
    model.off?.("change:frame", draw);
    model.off?.("msg:custom", message);
  };
}

export default { render };
