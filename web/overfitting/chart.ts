// Both networks' loss curves on one uPlot chart, growing as they train: train loss dashed, test loss
// solid, one colour per network, on a logarithmic loss axis; a ring marks each network's best test loss.

import uPlot from "uplot";
import { html } from "../shared/dom";
import { css, type Palette, type RGB } from "../shared/palette";
import { ResponsivePlot, axisStyle, lineSeries, pairColours, roundUp } from "../shared/plot";
import { count, loss, type OverfittingFrame } from "./types";

const MIN_HEIGHT = 220;
const MAX_HEIGHT = 320;
export const TRAIN_DASH = [5, 4];
export const TEST_DASH: number[] = [];

export interface NetworkColours {
  none: RGB;
  dropout: RGB;
}

export function networkColours(palette: Palette): NetworkColours {
  const [none, dropout] = pairColours(palette);
  return { none, dropout };
}

const SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹";

/** 0.01 → "0.01", 1e-5 → "10⁻⁵": decimals while they are short, powers of ten beyond. */
function powerOfTen(value: number): string {
  const exponent = Math.round(Math.log10(value));
  if (exponent >= 0 && exponent <= 3) return String(10 ** exponent);
  if (exponent < 0 && exponent >= -3) return (10 ** exponent).toFixed(-exponent);
  const digits = Array.from(String(Math.abs(exponent)), (d) => SUPERSCRIPTS[Number(d)] ?? "").join("");
  return `10${exponent < 0 ? "⁻" : ""}${digits}`;
}

export class LossChart {
  readonly element: HTMLElement;
  private readonly plot: ResponsivePlot;
  private frame: OverfittingFrame | null = null;
  private readonly colours: NetworkColours;
  private yRange: [number, number] = [1e-2, 1];

  constructor(private readonly palette: Palette) {
    this.colours = networkColours(palette);
    this.plot = new ResponsivePlot(
      "of-chart-box",
      (width, height) => this.options(width, height),
      (width) => Math.round(Math.min(MAX_HEIGHT, Math.max(MIN_HEIGHT, width * 0.5))),
    );
    this.element = html("div", { class: "of-chart", "aria-hidden": "true" }, this.plot.box);
  }

  update(frame: OverfittingFrame): void {
    this.frame = frame;
    const { curves } = frame;
    const series = [curves.trainNone, curves.testNone, curves.trainDropout, curves.testDropout];
    let low = Infinity;
    let high = 0;
    for (const values of series) {
      for (const v of values) {
        if (v > 0 && Number.isFinite(v)) {
          low = Math.min(low, v);
          high = Math.max(high, v);
        }
      }
    }
    if (Number.isFinite(low) && high > 0) {
      this.yRange = [10 ** Math.floor(Math.log10(low)), 10 ** Math.ceil(Math.log10(high))];
      if (this.yRange[0] === this.yRange[1]) this.yRange = [this.yRange[0] / 10, this.yRange[1]];
    }
    const floor = this.yRange[0];
    const clamp = (values: Float32Array): number[] => Array.from(values, (v) => Math.max(v, floor));
    this.plot.setData([Array.from(curves.steps), ...series.map(clamp)], (plot) => {
      plot.setScale("x", { min: 0, max: this.xMax() });
      plot.setScale("y", { min: this.yRange[0], max: this.yRange[1] });
    });
  }

  destroy(): void {
    this.plot.destroy();
  }

  private xMax(): number {
    return roundUp(Math.max(100, this.frame?.values.step ?? 100));
  }

  private options(width: number, height: number): uPlot.Options {
    const { colours } = this;
    const style = axisStyle(this.palette);
    return {
      width,
      height,
      legend: { show: false },
      cursor: { drag: { x: false, y: false, setScale: false }, y: false, points: { size: 6 } },
      scales: {
        x: { time: false, range: () => [0, this.xMax()] },
        y: { distr: 3, log: 10, range: () => this.yRange },
      },
      axes: [
        {
          ...style,
          label: "optimiser steps",
          labelSize: 18,
          size: 32,
          values: (_u, splits) => splits.map((v) => count(v)),
        },
        {
          ...style,
          // A phone's chart keeps the short name; the title above the chart says the rest.
          label: (u) => {
            const name = this.frame?.values.loss_name ?? "loss";
            if (u.width >= 480) return `${name} (log scale)`;
            return name === "mean squared error" ? "MSE (log)" : `${name} (log)`;
          },
          labelSize: 20,
          size: 48,
          splits: (_u, _i, min, max) => {
            const out: number[] = [];
            for (let e = Math.round(Math.log10(min)); e <= Math.round(Math.log10(max)); e++) out.push(10 ** e);
            return out;
          },
          values: (_u, splits) => splits.map((v) => (v == null ? "" : powerOfTen(v))),
        },
      ],
      series: [
        { label: "step" },
        lineSeries(colours.none, TRAIN_DASH, "p = 0, train", 1.75),
        lineSeries(colours.none, TEST_DASH, "p = 0, test", 2.5),
        lineSeries(colours.dropout, TRAIN_DASH, "dropout, train", 1.75),
        lineSeries(colours.dropout, TEST_DASH, "dropout, test", 2.5),
      ],
      hooks: { draw: [(u) => this.drawBest(u)] },
    };
  }

  /** A ring at each network's best test loss so far. */
  private drawBest(u: uPlot): void {
    const frame = this.frame;
    if (!frame) return;
    const ratio = uPlot.pxRatio;
    const ctx = u.ctx;
    ctx.save();
    frame.values.networks.forEach((network, n) => {
      const colour = n === 0 ? this.colours.none : this.colours.dropout;
      const x = u.valToPos(network.best_step, "x", true);
      const y = u.valToPos(Math.max(network.best_test_loss, this.yRange[0]), "y", true);
      ctx.beginPath();
      ctx.arc(x, y, 5 * ratio, 0, 2 * Math.PI);
      ctx.lineWidth = 2 * ratio;
      ctx.strokeStyle = css(colour);
      ctx.fillStyle = css(this.palette.paper);
      ctx.fill();
      ctx.stroke();
    });
    ctx.restore();
  }
}

function swatch(colour: RGB, dash: number[], ring = false): SVGSVGElement {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("class", "of-swatch-line");
  svg.setAttribute("viewBox", "0 0 28 12");
  svg.setAttribute("aria-hidden", "true");
  if (ring) {
    const circle = document.createElementNS(ns, "circle");
    for (const [k, v] of Object.entries({ cx: "14", cy: "6", r: "4", fill: "none", stroke: css(colour) })) {
      circle.setAttribute(k, v);
    }
    circle.setAttribute("stroke-width", "2");
    svg.append(circle);
    return svg;
  }
  const line = document.createElementNS(ns, "line");
  for (const [k, v] of Object.entries({ x1: "1", x2: "27", y1: "6", y2: "6", stroke: css(colour) })) {
    line.setAttribute(k, v);
  }
  line.setAttribute("stroke-width", dash.length ? "1.75" : "2.5");
  if (dash.length) line.setAttribute("stroke-dasharray", dash.join(" "));
  svg.append(line);
  return svg;
}

/** The chart's key, in HTML so that it reflows on a phone and reads as text. */
export function chartLegend(palette: Palette): HTMLElement {
  const { none, dropout } = networkColours(palette);
  const item = (svg: SVGSVGElement, text: string): HTMLElement =>
    html("li", { class: "of-legend-item" }, svg, html("span", {}, text));
  return html(
    "ul",
    { class: "of-legend", "aria-label": "Key" },
    item(swatch(none, TEST_DASH), "p = 0: test loss"),
    item(swatch(none, TRAIN_DASH), "p = 0: train loss"),
    item(swatch(dropout, TEST_DASH), "dropout: test loss"),
    item(swatch(dropout, TRAIN_DASH), "dropout: train loss"),
    item(swatch(palette.muted, [], true), "best test loss so far"),
  );
}

export { loss };
