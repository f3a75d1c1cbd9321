// Charts drawn by uPlot, made the same way in every figure: a plot that fills its box's width and keeps a
// height between two bounds, created at its first data once the box has a width, and following resizes;
// the page's axis style; and the pair of colours the charts compare two things with.

import uPlot from "uplot";
import { html } from "./dom";
import { css, mix, type Palette, type RGB } from "./palette";

export const PLOT_FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";

/** How every axis on the page looks: muted labels, faint grid lines and ticks. */
export function axisStyle(palette: Palette): Pick<uPlot.Axis, "font" | "labelFont" | "stroke" | "grid" | "ticks"> {
  const grid = css(mix(palette.paper, palette.ink, 0.1));
  return {
    font: `12px ${PLOT_FONT}`,
    labelFont: `600 12px ${PLOT_FONT}`,
    stroke: css(palette.muted),
    grid: { stroke: grid, width: 1 },
    ticks: { stroke: grid, width: 1, size: 4 },
  };
}

/**
 * An axis's size that fits its longest label, and at least `least` pixels (so that charts side by side keep
 * the same width for their curves): "100%" at 12 px needs more room than "1.0". uPlot calls it with the
 * labels it is about to draw, again on each of its layout passes.
 */
export function fittingLabels(least: number): uPlot.Axis.Size {
  return (u, values, axisIndex) => {
    const axis = u.axes[axisIndex];
    const longest = (values ?? []).reduce((a, b) => (String(b).length > a.length ? String(b) : a), "");
    let size = (axis?.ticks?.size ?? 0) + (axis?.gap ?? 0);
    const font = axis?.font?.[0];
    if (longest !== "" && font !== undefined) {
      u.ctx.font = font;
      size += u.ctx.measureText(longest).width / uPlot.pxRatio;
    }
    return Math.max(least, Math.ceil(size) + 2);
  };
}

/**
 * Two things a chart compares (no dropout and dropout; the arithmetic and the geometric mean): Okabe &
 * Ito's blue and the page's deep terracotta, apart for every common colour-vision deficiency. Charts tell
 * them apart by dash pattern or label too.
 */
export function pairColours(palette: Palette): [RGB, RGB] {
  return [palette.classes[0] ?? palette.ink, mix(palette.accent, palette.ink, 0.22)];
}

/** A round number at least `value`, for a step axis that grows: 100, 200, 500, 1000, 2000 … */
export function roundUp(value: number): number {
  const floor = 10 ** Math.floor(Math.log10(Math.max(value, 1)));
  for (const m of [1, 2, 5, 10]) if (m * floor >= value) return m * floor;
  return 10 * floor;
}

export function translucent(colour: RGB, alpha: number): string {
  return `rgba(${colour.map(Math.round).join(",")},${alpha})`;
}

/** A line series in the page's style: no point markers. */
export function lineSeries(colour: RGB, dash: number[], label: string, width = 2.25): uPlot.Series {
  return { label, stroke: css(colour), width, dash, points: { show: false } };
}

/** A series that only bounds a band: not drawn itself. */
export function edgeSeries(label: string): uPlot.Series {
  return { label, stroke: "transparent", width: 0, points: { show: false } };
}

/**
 * Two lines, each with a band from a low to a high edge: the series after the x series, in the order
 * mean, low, high, mean, low, high, and the two bands between each pair of edges.
 */
export function bandedPair(
  lines: Array<{ colour: RGB; dash: number[]; label: string; low: string; high: string }>,
): { series: uPlot.Series[]; bands: uPlot.Band[] } {
  return {
    series: lines.flatMap((line) => [
      lineSeries(line.colour, line.dash, line.label),
      edgeSeries(line.low),
      edgeSeries(line.high),
    ]),
    bands: lines.map((line, n) => ({ series: [3 * n + 3, 3 * n + 2], fill: translucent(line.colour, 0.13) })),
  };
}

export class ResponsivePlot {
  readonly box: HTMLElement;
  private plot: uPlot | null = null;
  private data: uPlot.AlignedData | null = null;
  private readonly observer: ResizeObserver;

  /**
   * `options(width, height)` builds the chart's options when it is first drawn; `height(width)` says how
   * tall it is at a width; `created` runs once the uPlot instance exists (to add listeners).
   */
  constructor(
    className: string,
    private readonly options: (width: number, height: number) => uPlot.Options,
    private readonly height: (width: number) => number,
    private readonly created?: (plot: uPlot) => void,
  ) {
    this.box = html("div", { class: className });
    this.observer = new ResizeObserver(() => this.resize());
    this.observer.observe(this.box);
  }

  get uplot(): uPlot | null {
    return this.plot;
  }

  /** New data; `rescale` sets the scales of an existing chart in the same batch. */
  setData(data: uPlot.AlignedData, rescale?: (plot: uPlot) => void): void {
    this.data = data;
    const plot = this.plot;
    if (plot === null) {
      this.create();
      return;
    }
    plot.batch(() => {
      plot.setData(data, false);
      rescale?.(plot);
    });
  }

  redraw(): void {
    this.plot?.redraw(false, false);
  }

  destroy(): void {
    this.observer.disconnect();
    this.plot?.destroy();
  }

  private create(): void {
    const width = Math.floor(this.box.clientWidth);
    if (width === 0 || this.data === null) return; // not laid out yet: the resize observer draws it
    this.plot = new uPlot(this.options(width, this.height(width)), this.data, this.box);
    this.created?.(this.plot);
  }

  private resize(): void {
    const width = Math.floor(this.box.clientWidth);
    if (width === 0) return;
    if (this.plot === null) return this.create();
    if (width !== this.plot.width) this.plot.setSize({ width, height: this.height(width) });
  }
}
