// One chart of the pair: a method's mean ± 2 predictive sd as a filled band, its mean as a line, the thin
// curves it averages (single MC passes, or the ensemble's members), the true function dashed, and the
// training points. Drawn in SVG at the box's own pixel size, so that lines keep their width on any
// screen. A click on empty space adds a point there; a click on a point removes it.

import { html, setAttr, setText, svg } from "../shared/dom";
import { css, mix, type Palette, type RGB } from "../shared/palette";
import type { McFrame } from "./types";

const MIN_HEIGHT = 240;
const MAX_HEIGHT = 340;
const MARGIN = { top: 10, right: 10, bottom: 30, left: 34 };
const HIT_PX = 8; // a click this close to a point's centre is on the point
const HIT_TOUCH_PX = 14; // a fingertip is less precise than a pointer
export const TRUTH_DASH = [6, 4];

export interface Curves {
  mean: Float32Array;
  sd: Float32Array;
  /** rows × curve points, row by row. */
  thin: Float32Array;
  rows: number;
}

/** The plot area in the drawing's pixels, and the maps from data to those pixels. */
interface Scales {
  left: number;
  right: number;
  top: number;
  bottom: number;
  px(x: number): number;
  py(y: number): number;
}

export interface PointActions {
  add(x: number, y: number): void;
  remove(index: number): void;
}

export function methodColours(palette: Palette): { mc: RGB; ensemble: RGB } {
  // Okabe & Ito's blue and the page's deep terracotta: apart for every common colour-vision deficiency,
  // and each chart is labelled besides.
  return { mc: palette.classes[0] ?? palette.ink, ensemble: mix(palette.accent, palette.ink, 0.22) };
}

export function translucent(colour: RGB, alpha: number): string {
  return `rgba(${colour.map(Math.round).join(",")},${alpha})`;
}

let uid = 0;

export class BandChart {
  readonly element: HTMLElement;
  private readonly title: HTMLElement;
  private readonly box: HTMLElement;
  private readonly drawing: SVGSVGElement;
  private readonly grid: SVGGElement;
  private readonly band: SVGPathElement;
  private readonly thin: SVGGElement;
  private readonly truth: SVGPathElement;
  private readonly mean: SVGPathElement;
  private readonly dots: SVGGElement;
  private readonly clip: SVGRectElement;
  private readonly observer: ResizeObserver;
  private frame: McFrame | null = null;
  private curves: Curves | null = null;
  private size = { width: 0, height: 0 };
  private gridKey = "";
  private hot = -1;

  constructor(
    palette: Palette,
    readonly method: "mc" | "ensemble",
    colour: RGB,
    private readonly actions: PointActions,
  ) {
    const clipId = `mc-clip-${++uid}`;
    this.clip = svg("rect");
    this.grid = svg("g", { class: "mc-grid" });
    this.band = svg("path", { class: "mc-band", fill: translucent(colour, 0.2) });
    this.thin = svg("g", { class: "mc-thin", stroke: css(colour) });
    this.truth = svg("path", { class: "mc-truth", stroke: css(palette.ink), "stroke-dasharray": TRUTH_DASH.join(" ") });
    this.mean = svg("path", { class: "mc-mean", stroke: css(colour) });
    this.dots = svg("g", { class: "mc-dots", fill: css(palette.ink), stroke: css(palette.paper) });
    this.drawing = svg(
      "svg",
      { class: "mc-svg", "aria-hidden": "true", focusable: "false" },
      svg("defs", {}, svg("clipPath", { id: clipId }, this.clip)),
      this.grid,
      svg("g", { "clip-path": `url(#${clipId})` }, this.band, this.thin, this.truth, this.mean),
      this.dots,
    );
    this.title = html("figcaption", { class: "mc-chart-title" });
    // The picture speaks through its label (what it shows, with its numbers); the SVG itself is silent.
    this.box = html("div", { class: "mc-plot", role: "img", "data-chart": method }, this.drawing);
    this.element = html("figure", { class: "mc-chart", "data-method": method }, this.title, this.box);
    this.observer = new ResizeObserver(() => this.render());
    this.observer.observe(this.box);
    this.listen();
  }

  update(frame: McFrame, curves: Curves, title: string, label: string): void {
    // The point under the pointer may have gone, or moved up the list: it is found again on the next move.
    if (frame.values.settings.points !== this.frame?.values.settings.points) this.hot = -1;
    this.frame = frame;
    this.curves = curves;
    setText(this.title, title);
    setAttr(this.box, "aria-label", label);
    this.render();
  }

  destroy(): void {
    this.observer.disconnect();
  }

  private scales(): Scales | null {
    const frame = this.frame;
    if (!frame || this.size.width === 0) return null;
    const [x0, x1] = frame.values.x_range;
    const [y0, y1] = frame.values.y_range;
    const left = MARGIN.left;
    const right = this.size.width - MARGIN.right;
    const top = MARGIN.top;
    const bottom = this.size.height - MARGIN.bottom;
    return {
      left,
      right,
      top,
      bottom,
      px: (x) => left + ((x - x0) / (x1 - x0)) * (right - left),
      py: (y) => bottom - ((y - y0) / (y1 - y0)) * (bottom - top),
    };
  }

  private measure(): void {
    const width = Math.floor(this.box.clientWidth);
    const height = Math.round(Math.min(MAX_HEIGHT, Math.max(MIN_HEIGHT, width * 0.72)));
    if (width === this.size.width && height === this.size.height) return;
    this.size = { width, height };
    setAttr(this.drawing, "width", width);
    setAttr(this.drawing, "height", height);
    setAttr(this.drawing, "viewBox", `0 0 ${width} ${height}`);
  }

  private render(): void {
    this.measure();
    const s = this.scales();
    const frame = this.frame;
    const curves = this.curves;
    if (!s || !frame || !curves) return;
    setAttr(this.clip, "x", s.left);
    setAttr(this.clip, "y", s.top);
    setAttr(this.clip, "width", s.right - s.left);
    setAttr(this.clip, "height", s.bottom - s.top);
    this.drawGrid();
    const xs = frame.arrays.curveX;
    const n = xs.length;
    const line = (ys: ArrayLike<number>, offset = 0): string => {
      let d = "";
      for (let i = 0; i < n; i++) {
        d += `${i === 0 ? "M" : "L"}${s.px(xs[i] ?? 0).toFixed(1)} ${s.py(ys[offset + i] ?? 0).toFixed(1)}`;
      }
      return d;
    };
    const upper = Array.from(curves.mean, (m, i) => m + 2 * (curves.sd[i] ?? 0));
    let band = line(upper);
    for (let i = n - 1; i >= 0; i--) {
      const y = (curves.mean[i] ?? 0) - 2 * (curves.sd[i] ?? 0);
      band += `L${s.px(xs[i] ?? 0).toFixed(1)} ${s.py(y).toFixed(1)}`;
    }
    setAttr(this.band, "d", `${band}Z`);
    setAttr(this.mean, "d", line(curves.mean));
    setAttr(this.truth, "d", line(frame.arrays.truth));
    while (this.thin.children.length < curves.rows) this.thin.append(svg("path"));
    while (this.thin.children.length > curves.rows) this.thin.lastElementChild?.remove();
    for (let r = 0; r < curves.rows; r++) {
      setAttr(this.thin.children[r] as SVGPathElement, "d", line(curves.thin, r * n));
    }
    this.drawPoints();
  }

  private drawGrid(): void {
    const s = this.scales();
    const frame = this.frame;
    if (!s || !frame) return;
    const [x0, x1] = frame.values.x_range;
    const [y0, y1] = frame.values.y_range;
    const key = `${this.size.width}x${this.size.height}:${x0},${x1},${y0},${y1}`;
    if (key === this.gridKey) return;
    this.gridKey = key;
    const parts: SVGElement[] = [];
    // Every whole number is a grid line; on a narrow chart only every other one is labelled.
    const every = s.right - s.left < 260 ? 2 : 1;
    for (let x = Math.ceil(x0); x <= x1; x++) {
      const px = s.px(x).toFixed(1);
      parts.push(svg("line", { class: x === 0 ? "mc-axis" : "mc-gridline", x1: px, x2: px, y1: s.top, y2: s.bottom }));
      if (x % every === 0) {
        parts.push(svg("text", { class: "mc-tick", x: px, y: s.bottom + 15, "text-anchor": "middle" }, label(x)));
      }
    }
    for (let y = Math.ceil(y0); y <= y1; y++) {
      const py = s.py(y).toFixed(1);
      parts.push(svg("line", { class: y === 0 ? "mc-axis" : "mc-gridline", x1: s.left, x2: s.right, y1: py, y2: py }));
      parts.push(svg("text", { class: "mc-tick", x: s.left - 6, y: py, "text-anchor": "end", dy: "0.32em" }, label(y)));
    }
    parts.push(
      svg("rect", { class: "mc-frame", x: s.left, y: s.top, width: s.right - s.left, height: s.bottom - s.top }),
      svg("text", { class: "mc-axis-name", x: s.right, y: s.bottom + 27, "text-anchor": "end" }, "x"),
      svg("text", { class: "mc-axis-name", x: 4, y: s.top + 4, dy: "0.7em" }, "y"),
    );
    this.grid.replaceChildren(...parts);
  }

  private drawPoints(): void {
    const s = this.scales();
    const frame = this.frame;
    if (!s || !frame) return;
    const points = frame.values.points;
    while (this.dots.children.length < points.length) this.dots.append(svg("circle", { class: "mc-dot", r: 4 }));
    while (this.dots.children.length > points.length) this.dots.lastElementChild?.remove();
    points.forEach(([x, y], i) => {
      const dot = this.dots.children[i] as SVGCircleElement;
      setAttr(dot, "cx", s.px(x).toFixed(1));
      setAttr(dot, "cy", s.py(y).toFixed(1));
      setAttr(dot, "data-point", `${x}:${y}`);
      dot.classList.toggle("is-hot", i === this.hot);
    });
  }

  /** The point within reach of (px, py) in the drawing, nearest first; -1 for none. */
  private pointAt(px: number, py: number, reach: number): number {
    const s = this.scales();
    const frame = this.frame;
    if (!s || !frame) return -1;
    let best = -1;
    let bestDistance = reach;
    frame.values.points.forEach(([x, y], i) => {
      const distance = Math.hypot(s.px(x) - px, s.py(y) - py);
      if (distance <= bestDistance) {
        best = i;
        bestDistance = distance;
      }
    });
    return best;
  }

  private listen(): void {
    const local = (event: MouseEvent): [number, number] => {
      const rect = this.drawing.getBoundingClientRect();
      return [event.clientX - rect.left, event.clientY - rect.top];
    };
    this.drawing.addEventListener("pointermove", (event) => {
      const [px, py] = local(event);
      const hot = this.pointAt(px, py, event.pointerType === "touch" ? HIT_TOUCH_PX : HIT_PX);
      if (hot === this.hot) return;
      this.hot = hot;
      this.drawing.classList.toggle("is-on-point", hot >= 0);
      this.drawPoints();
    });
    this.drawing.addEventListener("pointerleave", () => {
      this.hot = -1;
      this.drawing.classList.remove("is-on-point");
      this.drawPoints();
    });
    this.drawing.addEventListener("click", (event) => {
      const s = this.scales();
      const frame = this.frame;
      if (!s || !frame) return;
      const [px, py] = local(event);
      const touch = (event as PointerEvent).pointerType === "touch";
      const index = this.pointAt(px, py, touch ? HIT_TOUCH_PX : HIT_PX);
      if (index >= 0) return this.actions.remove(index);
      if (px < s.left || px > s.right || py < s.top || py > s.bottom) return;
      const [x0, x1] = frame.values.x_range;
      const [y0, y1] = frame.values.y_range;
      // Two decimals: as finely as a pixel can place a point, and short in the address.
      const x = round2(x0 + ((px - s.left) / (s.right - s.left)) * (x1 - x0));
      const y = round2(y0 + ((s.bottom - py) / (s.bottom - s.top)) * (y1 - y0));
      this.actions.add(Math.min(x1, Math.max(x0, x)), Math.min(y1, Math.max(y0, y)));
    });
  }
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

function label(value: number): string {
  return value < 0 ? `−${-value}` : String(value);
}

function swatch(draw: (root: SVGSVGElement) => void): SVGSVGElement {
  const root = svg("svg", { class: "mc-swatch", viewBox: "0 0 28 12", "aria-hidden": "true", focusable: "false" });
  draw(root);
  return root;
}

/** The charts' key, in HTML so that it reflows on a phone and reads as text. */
export class ChartLegend {
  readonly element: HTMLElement;
  private readonly thinText: HTMLElement;

  constructor(palette: Palette) {
    const colours = methodColours(palette);
    const ink = css(palette.ink);
    const item = (picture: SVGSVGElement, text: HTMLElement | string): HTMLElement =>
      html("li", { class: "mc-legend-item" }, picture, typeof text === "string" ? html("span", {}, text) : text);
    // Each swatch shows both charts' colours: the left half (or top line) is MC dropout's.
    const halves = (draw: (colour: RGB, from: number, to: number) => SVGElement) => (root: SVGSVGElement) =>
      root.append(draw(colours.mc, 0, 14), draw(colours.ensemble, 14, 28));
    const band = halves((colour, from) =>
      svg("rect", { x: from, y: 0, width: 14, height: 12, fill: translucent(colour, 0.2) }),
    );
    const mean = halves((colour, from, to) =>
      svg("line", { x1: from + 1, x2: to - 1, y1: 6, y2: 6, stroke: css(colour), "stroke-width": 2.5 }),
    );
    const thin = (root: SVGSVGElement): void => {
      for (const [y, colour] of [
        [3, colours.mc],
        [9, colours.ensemble],
      ] as Array<[number, RGB]>) {
        const attributes = { x1: 1, x2: 27, y1: y, y2: y, stroke: css(colour), "stroke-width": 1.2, opacity: 0.6 };
        root.append(svg("line", attributes));
      }
    };
    const truth = (root: SVGSVGElement): void => {
      const dash = TRUTH_DASH.join(" ");
      const attributes = { x1: 1, x2: 27, y1: 6, y2: 6, stroke: ink, "stroke-width": 1.75, "stroke-dasharray": dash };
      root.append(svg("line", attributes));
    };
    const dot = (root: SVGSVGElement): void => {
      root.append(svg("circle", { cx: 14, cy: 6, r: 4, fill: ink, stroke: css(palette.paper) }));
    };
    this.thinText = html("span", {}, "Thin lines: single MC passes; the ensemble's members");
    this.element = html(
      "ul",
      { class: "mc-legend", "aria-label": "Key" },
      item(swatch(mean), "Mean prediction"),
      item(swatch(band), "Band: mean ± 2 predictive sd"),
      item(swatch(thin), this.thinText),
      item(swatch(truth), "True function (dashed)"),
      item(swatch(dot), "Training point"),
    );
  }

  update(thinPasses: number, members: number): void {
    setText(this.thinText, `Thin lines: ${thinPasses} single MC passes; the ${members} ensemble members`);
  }
}
