// The eval network's loss and accuracy as it trains, under the map: train dashed, test solid, on two
// small uPlot charts that grow live; the accuracy chart marks chance. A sentence under them says the same
// in words, for readers who cannot see the charts.

import type uPlot from "uplot";
import { html, setText } from "../shared/dom";
import { css, type Palette, type RGB } from "../shared/palette";
import { ResponsivePlot, axisStyle, fittingLabels, lineSeries, pairColours, roundUp } from "../shared/plot";
import { STEPS_FORMAT } from "./readouts";
import type { PlaygroundFrame } from "./types";

const TRAIN_DASH = [5, 4];
const HEIGHT = 150;

function percent(value: number): string {
  return `${(100 * value).toFixed(1)}\u00a0%`;
}

export class TrainingCurves {
  readonly element: HTMLElement;
  private readonly summary: HTMLElement;
  private readonly loss: ResponsivePlot;
  private readonly accuracy: ResponsivePlot;
  private readonly colours: { train: RGB; test: RGB };
  private frame: PlaygroundFrame | null = null;
  private lossTop = 1;

  constructor(private readonly palette: Palette) {
    const [train, test] = pairColours(palette);
    this.colours = { train, test };
    this.loss = new ResponsivePlot(
      "pg-curve-box",
      (width, height) => this.options(width, height, () => [0, this.lossTop]),
      () => HEIGHT,
    );
    this.accuracy = new ResponsivePlot(
      "pg-curve-box",
      (width, height) => this.options(width, height, () => [0, 1], true),
      () => HEIGHT,
    );
    const key = (colour: RGB, dashed: boolean, text: string): HTMLElement =>
      html(
        "li",
        { class: "pg-curve-key" },
        html("span", {
          class: "pg-curve-swatch",
          "aria-hidden": "true",
          style: `border-top: 2.5px ${dashed ? "dashed" : "solid"} ${css(colour)}`,
        }),
        text,
      );
    this.summary = html("p", { class: "pg-curve-summary", "data-readout": "curves" });
    this.element = html(
      "div",
      { class: "pg-curves" },
      html(
        "div",
        { class: "pg-curve-charts", "aria-hidden": "true" },
        html("figure", { class: "pg-curve" }, html("figcaption", {}, "Loss (cross-entropy)"), this.loss.box),
        html("figure", { class: "pg-curve" }, html("figcaption", {}, "Accuracy (dotted: chance)"), this.accuracy.box),
      ),
      html(
        "ul",
        { class: "pg-curve-keys", "aria-hidden": "true" },
        key(train, true, "training set"),
        key(test, false, "test set"),
      ),
      this.summary,
    );
  }

  update(frame: PlaygroundFrame): void {
    this.frame = frame;
    const { curves } = frame.arrays;
    const { values } = frame;
    const steps = Array.from(curves.steps);
    let top = 0;
    for (const series of [curves.trainLoss, curves.testLoss]) for (const v of series) if (Number.isFinite(v)) top = Math.max(top, v);
    this.lossTop = top > 0 ? Math.ceil(top * 10) / 10 : 1;
    const xMax = this.xMax();
    this.loss.setData([steps, Array.from(curves.trainLoss), Array.from(curves.testLoss)], (plot) => {
      plot.setScale("x", { min: 0, max: xMax });
      plot.setScale("y", { min: 0, max: this.lossTop });
    });
    this.accuracy.setData([steps, Array.from(curves.trainAccuracy), Array.from(curves.testAccuracy)], (plot) =>
      plot.setScale("x", { min: 0, max: xMax }),
    );
    setText(
      this.summary,
      `Eval network after ${STEPS_FORMAT.format(values.steps)} steps: loss ${values.train_loss.toFixed(3)} on the ` +
        `training set, ${values.test_loss.toFixed(3)} on the test set; accuracy ${percent(values.train_accuracy)} ` +
        `and ${percent(values.test_accuracy)} (chance: ${percent(values.chance_accuracy)}).`,
    );
  }

  destroy(): void {
    this.loss.destroy();
    this.accuracy.destroy();
  }

  private xMax(): number {
    return roundUp(Math.max(100, this.frame?.values.steps ?? 100));
  }

  private options(
    width: number,
    height: number,
    range: () => [number, number],
    chance = false,
  ): uPlot.Options {
    const style = axisStyle(this.palette);
    return {
      width,
      height,
      legend: { show: false },
      cursor: { show: false },
      scales: { x: { time: false, range: () => [0, this.xMax()] }, y: { range } },
      axes: [
        { ...style, size: 28, values: (_u, splits) => splits.map((v) => STEPS_FORMAT.format(v)) },
        {
          // The caption above the chart names the quantity: the axis keeps its width for the curves, wider
          // only for a label that needs it ("100%").
          ...style,
          size: fittingLabels(40),
          values: (_u, splits) => splits.map((v) => (chance ? `${Math.round(100 * v)}%` : v.toFixed(1))),
        },
      ],
      series: [
        { label: "step" },
        lineSeries(this.colours.train, TRAIN_DASH, "training set", 1.75),
        lineSeries(this.colours.test, [], "test set", 2.25),
      ],
      hooks: chance ? { draw: [(u) => this.drawChance(u)] } : {},
    };
  }

  /** A dotted line at chance accuracy (one over the number of classes): an untrained network's level. */
  private drawChance(u: uPlot): void {
    const chance = this.frame?.values.chance_accuracy;
    if (chance === undefined) return;
    const y = u.valToPos(chance, "y", true);
    const ctx = u.ctx;
    ctx.save();
    ctx.setLineDash([2, 3]);
    ctx.strokeStyle = css(this.palette.muted);
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(u.bbox.left, y);
    ctx.lineTo(u.bbox.left + u.bbox.width, y);
    ctx.stroke();
    ctx.restore();
  }
}
