// Co-adaptation, measured: two networks of the same size, trained alike except that one used dropout,
// lose k of their hidden units at test time; the chart shows how their test accuracy falls as k grows.
// Everything it shows comes from the model's "frame"; the dataset goes back as a "set" command. The k
// slider only chooses where to read the chart: the frame holds every k.

import type { HostMessage, WidgetModel } from "../model";
import type { Frame } from "../wire";
import { Commands } from "../shared/commands";
import { html, setText } from "../shared/dom";
import { readPalette } from "../shared/palette";
import { FigureLifecycle } from "../shared/lifecycle";
import { Status } from "../shared/status";
import { ChartLegend, RemovalChart } from "./chart";
import { Controls } from "./controls";
import { KSlider } from "./k-slider";
import { Readouts } from "./readouts";
import { coadFrame, type CoadFrame } from "./types";

const BUSY_TEXT = "Training and measuring…";

export function render({ model, el }: { model: WidgetModel; el: HTMLElement }): () => void {
  // The page labels the figure's container; a label needs a role to be announced.
  if (!el.hasAttribute("role")) el.setAttribute("role", "group");
  const palette = readPalette(el);
  const commands = new Commands(model);
  const status = new Status();
  let frame: CoadFrame | null = null;
  let waiting = 0;

  // A dataset (or seed) not seen before is trained and measured first: a second or two.
  const busyNote = html("p", { class: "coad-busy", "data-readout": "busy", "aria-live": "polite" });
  const setDataset = (dataset: string): void => {
    waiting++;
    el.setAttribute("aria-busy", "true");
    setText(busyNote, BUSY_TEXT);
    void commands.send({ type: "set", dataset }).finally(() => {
      waiting--;
      if (waiting > 0) return;
      el.removeAttribute("aria-busy");
      setText(busyNote, "");
    });
  };

  const controls = new Controls(setDataset);
  const readouts = new Readouts();
  const chart = new RemovalChart(palette, (k) => kSlider.set(k));
  const kSlider = new KSlider((k) => {
    chart.mark(k);
    readouts.mark(k);
  });
  const legend = new ChartLegend(palette);
  const title = html("p", { class: "coad-title" }, "Test accuracy with k hidden units removed at test time");
  const lifecycle = new FigureLifecycle(el, status, model);
  // The canvas says nothing to a screen reader: the summary under it and the table say it all.
  const plot = html("div", { class: "coad-plot-wrap", "aria-hidden": "true" }, chart.element, lifecycle.notice);
  el.replaceChildren(
    controls.element,
    html(
      "div",
      { class: "coad-figure-body" },
      title,
      html("div", { class: "coad-stage" }, plot, busyNote),
      legend.element,
      kSlider.field,
      kSlider.readout,
      readouts.caption,
      readouts.summary,
    ),
    readouts.numbers,
    status.element,
  );

  function draw(): void {
    const raw = model.get("frame") as Frame | undefined;
    if (!raw) return controls.update(null);
    try {
      frame = coadFrame(raw);
    } catch (error) {
      status.error(String(error));
      return;
    }
    lifecycle.frameDrawn();
    const { values } = frame;
    controls.update(values);
    setText(title, `Test accuracy with k of the ${values.units} hidden units removed at test time`);
    chart.update(frame);
    legend.update(frame);
    readouts.update(frame);
    kSlider.update(frame);
  }

  function message(content: HostMessage): void {
    if (content.type === "error") {
      if (!lifecycle.offline) status.error(content.message);
      // A refused dataset leaves the menu showing the one the chart really shows.
      controls.update(frame?.values ?? null);
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
