// The chart: distance from the eval network against K, both axes logarithmic, drawn by uPlot. The
// sampled means are lines with a band (lowest to highest mask stream); the exact averages over every
// sub-network are dotted horizontal lines, labelled with their values in text over the canvas, placed
// clear of every line and band (exact-labels.ts). An exact value below the axis (the one-layer network's
// normalised geometric mean: rounding error, about 1e-16) is drawn on the axis floor and its real value
// printed beside it.

import uPlot from "uplot";
import { html, setText } from "../shared/dom";
import { css, mix, type Palette, type RGB } from "../shared/palette";
import { ResponsivePlot, axisStyle, bandedPair, pairColours, translucent } from "../shared/plot";
import { placeExactLabels, type Trace } from "./exact-labels";
import { distance, powerOfTen } from "./format";
import type { GapFrame } from "./types";

const MIN_HEIGHT = 250;
const MAX_HEIGHT = 360;
const K_SPLITS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000];
const DECADES = new Set([1, 10, 100, 1000]);
// Below this a distance is rounding error (as the figure's own test of exactness has it): drawn as 0.
const ROUNDING = 1e-12;
export const ARITHMETIC_DASH: number[] = [];
export const GEOMETRIC_DASH = [7, 4];
export const EXACT_DASH = [2, 3];

export interface ChartColours {
  arithmetic: RGB;
  geometric: RGB;
}

export function chartColours(palette: Palette): ChartColours {
  const [arithmetic, geometric] = pairColours(palette);
  return { arithmetic, geometric };
}

/** The decades that hold every value worth showing; one more below when an exact value lies under them. */
function yRange(frame: GapFrame): [number, number] {
  const positive: number[] = [];
  for (const curve of [frame.arithmetic, frame.geometric]) {
    for (const array of [curve.low, curve.high]) for (const v of array) if (v > ROUNDING) positive.push(v);
  }
  const { exact } = frame.values;
  if (exact.arithmetic_tv > ROUNDING) positive.push(exact.arithmetic_tv);
  const underneath = exact.geometric_is_eval || exact.geometric_tv <= ROUNDING;
  if (!underneath) positive.push(exact.geometric_tv);
  if (positive.length === 0) return [1e-4, 1];
  const low = Math.min(...positive);
  const high = Math.max(...positive);
  const top = Math.min(0, Math.ceil(Math.log10(high)));
  const bottom = Math.min(top - 1, Math.floor(Math.log10(low)) - (underneath ? 1 : 0));
  return [10 ** bottom, 10 ** top];
}

export class GapChart {
  readonly element: HTMLElement;
  readonly hover: HTMLElement;
  private readonly plot: ResponsivePlot;
  private frame: GapFrame | null = null;
  private range: [number, number] = [1e-4, 1];
  private plotted: uPlot.AlignedData = [];
  private readonly colours: ChartColours;
  /** The labels of the exact lines, over the plot area. */
  private readonly labels: [HTMLElement, HTMLElement];
  private readonly labelLayer: HTMLElement;

  constructor(private readonly palette: Palette) {
    this.colours = chartColours(palette);
    this.labels = [
      html("span", { class: "eg-exact-label", "data-mean": "arithmetic" }),
      html("span", { class: "eg-exact-label", "data-mean": "geometric" }),
    ];
    this.labelLayer = html("div", { class: "eg-exact-labels" }, ...this.labels);
    this.plot = new ResponsivePlot(
      "eg-plot",
      (width, height) => this.options(width, height),
      (width) => Math.round(Math.min(MAX_HEIGHT, Math.max(MIN_HEIGHT, width * 0.58))),
      (plot) => plot.over.append(this.labelLayer),
    );
    this.hover = html("p", { class: "pg-plot-hover eg-hover", "aria-hidden": "true" }, "\u00a0");
    this.element = html("div", { class: "eg-chart" }, this.plot.box, this.hover);
  }

  update(frame: GapFrame): void {
    this.frame = frame;
    this.range = yRange(frame);
    const floor = this.range[0];
    const clamp = (values: Float32Array): number[] => Array.from(values, (v) => Math.max(v, floor));
    const data: uPlot.AlignedData = [
      Array.from(frame.k),
      clamp(frame.arithmetic.mean),
      clamp(frame.arithmetic.low),
      clamp(frame.arithmetic.high),
      clamp(frame.geometric.mean),
      clamp(frame.geometric.low),
      clamp(frame.geometric.high),
    ];
    this.plotted = data;
    this.plot.setData(data, (plot) => {
      plot.setScale("y", { min: this.range[0], max: this.range[1] });
      plot.setScale("x", { min: 1, max: frame.values.max_k });
    });
  }

  destroy(): void {
    this.plot.destroy();
  }

  private options(width: number, height: number): uPlot.Options {
    const { palette, colours } = this;
    const ink = css(palette.ink);
    const style = axisStyle(palette);
    const banded = bandedPair([
      {
        colour: colours.arithmetic,
        dash: ARITHMETIC_DASH,
        label: "Arithmetic mean",
        low: "Arithmetic, lowest stream",
        high: "Arithmetic, highest stream",
      },
      {
        colour: colours.geometric,
        dash: GEOMETRIC_DASH,
        label: "Normalised geometric mean",
        low: "Geometric, lowest stream",
        high: "Geometric, highest stream",
      },
    ]);
    return {
      width,
      height,
      legend: { show: false },
      cursor: {
        drag: { x: false, y: false, setScale: false },
        y: false,
        points: { size: 7, width: 2, fill: css(palette.paper) },
      },
      scales: {
        x: { time: false, distr: 3, log: 10, range: () => [1, this.frame?.values.max_k ?? 1000] },
        y: { distr: 3, log: 10, range: () => this.range },
      },
      axes: [
        {
          label: "K, sub-networks averaged",
          ...style,
          labelSize: 18,
          size: 32,
          splits: () => K_SPLITS,
          values: (_u, splits) => splits.map((v) => (DECADES.has(v) ? String(v) : "")),
        },
        {
          // The full name is in the title above the chart; a short plot keeps the short one.
          label: (u) => (u.height < 300 ? "Mean TV distance" : "Mean TV distance ½Σ|P\u00a0−\u00a0Q|"),
          ...style,
          labelSize: 20,
          size: 44,
          splits: (_u, _i, min, max) => {
            const out: number[] = [];
            for (let e = Math.round(Math.log10(min)); e <= Math.round(Math.log10(max)); e++) out.push(10 ** e);
            return out;
          },
          values: (_u, splits) => splits.map(powerOfTen),
        },
      ],
      series: [{ label: "K" }, ...banded.series],
      bands: banded.bands,
      hooks: {
        draw: [(u) => this.drawExact(u, ink)],
        setCursor: [(u) => this.showHover(u)],
      },
    };
  }

  /** The exact averages over every sub-network, as dotted lines, and their labels. */
  private drawExact(u: uPlot, ink: string): void {
    const frame = this.frame;
    if (!frame) return;
    const { exact, subnetworks } = frame.values;
    const ratio = uPlot.pxRatio;
    const { left, top, width, height } = u.bbox;
    const ctx = u.ctx;
    const lines: Array<[number, RGB, string]> = [
      [exact.arithmetic_tv, this.colours.arithmetic, "exact arithmetic"],
      [exact.geometric_tv, this.colours.geometric, "exact geometric"],
    ];
    const floorY = top + height - 1.5 * ratio;
    ctx.save();
    ctx.beginPath();
    ctx.rect(left, top, width, height);
    ctx.clip();
    const requests = lines.map(([value, colour, name], i) => {
      const below = value < this.range[0];
      const y = below ? floorY : u.valToPos(value, "y", true);
      ctx.strokeStyle = css(colour);
      ctx.lineWidth = 1.75 * ratio;
      ctx.setLineDash(EXACT_DASH.map((d) => d * ratio));
      ctx.beginPath();
      ctx.moveTo(left, y);
      ctx.lineTo(left + width, y);
      ctx.stroke();
      const label = this.labels[i] as HTMLElement;
      const count = subnetworks === 1 ? "the one sub-network" : `all ${subnetworks.toLocaleString("en-US")}`;
      const number = distance(value);
      const where = below ? ", below the axis" : "";
      const arrow = below ? " ↓" : "";
      // The longest label that fits the plot: a phone gets the short one.
      const room = width / ratio - 16;
      const candidates = [
        `${name} (${count}): ${number}${where}`,
        `${name}: ${number}${where}`,
        `${name}: ${number}${arrow}`,
        `${number}${arrow}`,
      ];
      let text = candidates[candidates.length - 1] ?? "";
      for (const candidate of candidates) {
        setText(label, candidate);
        if (label.offsetWidth <= room) {
          text = candidate;
          break;
        }
      }
      setText(label, text);
      // Text in the line's colour, darkened to read at 4.5:1 on the paper.
      label.style.color = below ? ink : css(mix(colour, this.palette.ink, 0.3));
      return { lineY: (y - top) / ratio, width: label.offsetWidth, height: label.offsetHeight, onFloor: below };
    });
    ctx.restore();
    const places = placeExactLabels(requests, this.traces(u), width / ratio, height / ratio);
    places.forEach((place, i) => {
      const label = this.labels[i] as HTMLElement;
      label.style.left = `${place.left.toFixed(1)}px`;
      label.style.top = `${place.top.toFixed(1)}px`;
    });
  }

  /** The sampled means and the edges of their bands as drawn, in CSS pixels of the plot area. */
  private traces(u: uPlot): Trace[] {
    const ks = (this.plotted[0] ?? []) as number[];
    const x = ks.map((k) => u.valToPos(k, "x"));
    return this.plotted.slice(1).map((series) => ({
      x,
      y: Array.from(series as ArrayLike<number | null>, (v) => (v === null ? NaN : u.valToPos(v, "y"))),
    }));
  }

  private showHover(u: uPlot): void {
    const idx = u.cursor.idx;
    const frame = this.frame;
    if (idx === null || idx === undefined || !frame) {
      this.hover.textContent = "\u00a0";
      return;
    }
    const k = frame.k[idx];
    const a = frame.arithmetic.mean[idx] ?? 0;
    const g = frame.geometric.mean[idx] ?? 0;
    this.hover.textContent = `K = ${k}: arithmetic ${distance(a)}, normalised geometric ${distance(g)}`;
  }
}

function swatch(colour: RGB, dash: number[], band: boolean): SVGSVGElement {
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("class", "eg-swatch");
  svg.setAttribute("viewBox", "0 0 28 12");
  svg.setAttribute("aria-hidden", "true");
  if (band) {
    const rect = document.createElementNS(svg.namespaceURI, "rect");
    rect.setAttribute("x", "0");
    rect.setAttribute("y", "1");
    rect.setAttribute("width", "28");
    rect.setAttribute("height", "10");
    rect.setAttribute("rx", "2");
    rect.setAttribute("fill", translucent(colour, 0.16));
    svg.append(rect);
  }
  const path = document.createElementNS(svg.namespaceURI, "line");
  path.setAttribute("x1", "1");
  path.setAttribute("x2", "27");
  path.setAttribute("y1", "6");
  path.setAttribute("y2", "6");
  path.setAttribute("stroke", css(colour));
  path.setAttribute("stroke-width", band ? "2.25" : "1.75");
  if (dash.length) path.setAttribute("stroke-dasharray", dash.join(" "));
  svg.append(path);
  return svg;
}

/** The chart's key, in HTML so that it reflows on a phone and reads as text. */
export class ChartLegend {
  readonly element: HTMLElement;
  private readonly bandNote: HTMLElement;

  constructor(palette: Palette) {
    const { arithmetic, geometric } = chartColours(palette);
    const item = (svg: SVGSVGElement, text: string): HTMLElement =>
      html("li", { class: "eg-legend-item" }, svg, html("span", {}, text));
    this.bandNote = html("li", { class: "eg-legend-note" });
    this.element = html(
      "ul",
      { class: "eg-legend", "aria-label": "Key" },
      item(swatch(arithmetic, ARITHMETIC_DASH, true), "Arithmetic mean of K sampled sub-networks"),
      item(swatch(geometric, GEOMETRIC_DASH, true), "Normalised geometric mean of K sampled sub-networks"),
      item(swatch(arithmetic, EXACT_DASH, false), "Exact arithmetic mean"),
      item(swatch(geometric, EXACT_DASH, false), "Exact normalised geometric mean"),
      this.bandNote,
    );
  }

  update(frame: GapFrame): void {
    const streams = frame.values.mask_streams;
    const text = `Lines: mean over ${streams} independent mask streams; bands: lowest to highest stream.`;
    if (this.bandNote.textContent !== text) this.bandNote.textContent = text;
  }
}
