// The chart: test accuracy against k, the number of hidden units removed at test time, for the network
// trained without dropout and the one trained with it, drawn by uPlot. Each mean is a line with a band
// (10th to 90th percentile over the random sets of removed units); a dotted vertical line and two dots
// mark the k the slider under the chart has chosen.

import uPlot from "uplot";
import { html, setText, svg } from "../shared/dom";
import { css, mix, type Palette, type RGB } from "../shared/palette";
import { ResponsivePlot, axisStyle, bandedPair, pairColours, translucent } from "../shared/plot";
import { networkName, percent } from "./format";
import type { CoadFrame } from "./types";

const MIN_HEIGHT = 260;
const MAX_HEIGHT = 340;
export const NONE_DASH = [7, 4];
export const DROPOUT_DASH: number[] = [];
const MARKER_DASH = [2, 3];
const X_STEPS = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024];
const Y_SPLITS = [0, 0.2, 0.4, 0.6, 0.8, 1];

export interface ChartColours {
  none: RGB;
  dropout: RGB;
}

export function chartColours(palette: Palette): ChartColours {
  const [none, dropout] = pairColours(palette);
  return { none, dropout };
}

export class RemovalChart {
  readonly element: HTMLElement;
  private readonly hover: HTMLElement;
  private readonly plot: ResponsivePlot;
  private frame: CoadFrame | null = null;
  private k: number | null = null;
  private readonly colours: ChartColours;

  /** `pick` is called with the k under the pointer when the chart is clicked. */
  constructor(
    private readonly palette: Palette,
    private readonly pick: (k: number) => void,
  ) {
    this.colours = chartColours(palette);
    this.plot = new ResponsivePlot(
      "coad-plot",
      (width, height) => this.options(width, height),
      (width) => Math.round(Math.min(MAX_HEIGHT, Math.max(MIN_HEIGHT, width * 0.55))),
      (plot) => plot.over.addEventListener("click", () => this.clicked()),
    );
    this.hover = html("p", { class: "pg-plot-hover coad-hover", "data-readout": "hover" }, "\u00a0");
    this.element = html("div", { class: "coad-chart" }, this.plot.box, this.hover);
  }

  update(frame: CoadFrame): void {
    this.frame = frame;
    const [none, dropout] = frame.curves;
    const data: uPlot.AlignedData = [
      Array.from(frame.k),
      Array.from(none.mean),
      Array.from(none.low),
      Array.from(none.high),
      Array.from(dropout.mean),
      Array.from(dropout.low),
      Array.from(dropout.high),
    ];
    this.plot.setData(data, (plot) => plot.setScale("x", { min: 0, max: frame.values.units }));
  }

  /** Moves the marker; nothing is sent anywhere. */
  mark(k: number): void {
    if (this.k === k) return;
    this.k = k;
    this.plot.redraw();
  }

  destroy(): void {
    this.plot.destroy();
  }

  private options(width: number, height: number): uPlot.Options {
    const { palette, colours } = this;
    const style = axisStyle(palette);
    const banded = bandedPair([
      {
        colour: colours.none,
        dash: NONE_DASH,
        label: "Without dropout, mean",
        low: "Without dropout, 10th percentile",
        high: "Without dropout, 90th percentile",
      },
      {
        colour: colours.dropout,
        dash: DROPOUT_DASH,
        label: "With dropout, mean",
        low: "With dropout, 10th percentile",
        high: "With dropout, 90th percentile",
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
        x: { time: false, range: () => [0, this.frame?.values.units ?? 1] },
        y: { range: () => [0, 1] },
      },
      axes: [
        {
          label: "k, hidden units removed at test time",
          ...style,
          labelSize: 18,
          size: 32,
          splits: (u, _i, min, max) => {
            // As many ticks as fit, a power of two apart: the layers' widths are powers of two.
            const room = u.bbox.width / uPlot.pxRatio / 44;
            const step = X_STEPS.find((s) => (max - min) / s <= room) ?? max - min;
            const out: number[] = [];
            for (let v = Math.ceil(min / step) * step; v <= max; v += step) out.push(v);
            return out;
          },
        },
        {
          label: "Test accuracy",
          ...style,
          labelSize: 20,
          size: 44,
          splits: () => Y_SPLITS,
          values: (_u, splits) => splits.map((v) => `${Math.round(v * 100)}%`),
        },
      ],
      series: [{ label: "k" }, ...banded.series],
      bands: banded.bands,
      hooks: {
        draw: [(u) => this.drawMarker(u)],
        setCursor: [(u) => this.showHover(u)],
      },
    };
  }

  /** The slider's k: a dotted vertical line, and a dot on each mean. */
  private drawMarker(u: uPlot): void {
    const frame = this.frame;
    const k = this.k;
    if (!frame || k === null) return;
    const index = frame.k.indexOf(k);
    if (index < 0) return;
    const ratio = uPlot.pxRatio;
    const { left, top, width, height } = u.bbox;
    const ctx = u.ctx;
    const x = u.valToPos(k, "x", true);
    ctx.save();
    ctx.beginPath();
    ctx.rect(left - 6 * ratio, top - 6 * ratio, width + 12 * ratio, height + 12 * ratio);
    ctx.clip();
    ctx.strokeStyle = css(mix(this.palette.paper, this.palette.ink, 0.6));
    ctx.lineWidth = 1.5 * ratio;
    ctx.setLineDash(MARKER_DASH.map((d) => d * ratio));
    ctx.beginPath();
    ctx.moveTo(x, top);
    ctx.lineTo(x, top + height);
    ctx.stroke();
    ctx.setLineDash([]);
    const dots: Array<[number, RGB]> = [
      [frame.curves[0].mean[index] ?? 0, this.colours.none],
      [frame.curves[1].mean[index] ?? 0, this.colours.dropout],
    ];
    for (const [value, colour] of dots) {
      const y = u.valToPos(value, "y", true);
      ctx.beginPath();
      ctx.arc(x, y, 4.5 * ratio, 0, 2 * Math.PI);
      ctx.fillStyle = css(colour);
      ctx.fill();
      ctx.lineWidth = 2 * ratio;
      ctx.strokeStyle = css(this.palette.paper);
      ctx.stroke();
    }
    ctx.restore();
  }

  private cursorK(): number | null {
    const idx = this.plot.uplot?.cursor.idx;
    if (idx === null || idx === undefined || !this.frame) return null;
    return this.frame.k[idx] ?? null;
  }

  private clicked(): void {
    const k = this.cursorK();
    if (k !== null) this.pick(k);
  }

  private showHover(u: uPlot): void {
    const idx = u.cursor.idx;
    const frame = this.frame;
    if (idx === null || idx === undefined || !frame) {
      setText(this.hover, "\u00a0");
      return;
    }
    const [p0, p1] = frame.values.ps;
    const a = frame.curves[0].mean[idx] ?? 0;
    const b = frame.curves[1].mean[idx] ?? 0;
    setText(this.hover, `k = ${frame.k[idx]}: p = ${p0} network ${percent(a)}, p = ${p1} network ${percent(b)}`);
  }
}

function swatch(colour: RGB, dash: number[]): SVGSVGElement {
  const drawn = svg(
    "svg",
    { class: "coad-swatch", viewBox: "0 0 28 12", "aria-hidden": "true" },
    svg("rect", { x: 0, y: 1, width: 28, height: 10, rx: 2, fill: translucent(colour, 0.16) }),
    svg("line", {
      x1: 1,
      x2: 27,
      y1: 6,
      y2: 6,
      stroke: css(colour),
      "stroke-width": 2.25,
      "stroke-dasharray": dash.length ? dash.join(" ") : undefined,
    }),
  );
  return drawn;
}

function markerSwatch(colour: RGB): SVGSVGElement {
  return svg(
    "svg",
    { class: "coad-swatch coad-swatch-marker", viewBox: "0 0 12 12", "aria-hidden": "true" },
    svg("line", {
      x1: 6,
      x2: 6,
      y1: 0,
      y2: 12,
      stroke: css(colour),
      "stroke-width": 1.5,
      "stroke-dasharray": MARKER_DASH.join(" "),
    }),
  );
}

/** The chart's key, in HTML so that it reflows on a phone and reads as text. */
export class ChartLegend {
  readonly element: HTMLElement;
  private readonly names: [HTMLElement, HTMLElement];

  constructor(palette: Palette) {
    const { none, dropout } = chartColours(palette);
    this.names = [html("span", {}, "Trained with p = 0 (no dropout)"), html("span", {}, "Trained with p = 0.5")];
    const item = (graphic: SVGSVGElement, text: HTMLElement, key: string): HTMLElement =>
      html("li", { class: "coad-legend-item", "data-series": key }, graphic, text);
    this.element = html(
      "ul",
      { class: "coad-legend", "aria-label": "Key" },
      item(swatch(none, NONE_DASH), this.names[0], "none"),
      item(swatch(dropout, DROPOUT_DASH), this.names[1], "dropout"),
      item(markerSwatch(mix(palette.paper, palette.ink, 0.6)), html("span", {}, "The k chosen below"), "marker"),
    );
  }

  update(frame: CoadFrame): void {
    frame.values.ps.forEach((p, i) => {
      const name = networkName(p);
      const element = this.names[i];
      if (element) setText(element, name.charAt(0).toUpperCase() + name.slice(1));
    });
  }
}
