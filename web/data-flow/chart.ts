// The running mean against the number of masks drawn (a log axis, so the first masks and the last
// thousands both show), with the eval output and the exact expectation as reference lines.

import { html, setAttr, setText, svg } from "../shared/dom";
import { fixed, type DataFlowFrame } from "./types";

const WIDTH = 360;
const HEIGHT = 168;
const LEFT = 46;
const RIGHT = 12;
const TOP = 12;
const BOTTOM = 30;
const PLOT_W = WIDTH - LEFT - RIGHT;
const PLOT_H = HEIGHT - TOP - BOTTOM;
const DECADE_NAMES = ["1", "10", "100", "1k", "10k", "100k", "1M"];

/** About four round tick values covering [low, high]. */
function ticks(low: number, high: number): number[] {
  const raw = (high - low) / 4;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? raw;
  const values: number[] = [];
  for (let v = Math.ceil(low / step) * step; v <= high + step * 1e-9; v += step) values.push(v);
  return values;
}

export class ConvergenceChart {
  readonly element: HTMLElement;
  private readonly picture: SVGSVGElement;
  private readonly grid = svg("g", { class: "df-chart-grid" });
  private readonly evalLine = svg("line", { class: "df-chart-eval" });
  private readonly exactLine = svg("line", { class: "df-chart-exact" });
  private readonly evalLabel = svg("text", { class: "df-chart-label df-chart-eval-label" });
  private readonly exactLabel = svg("text", { class: "df-chart-label df-chart-exact-label" });
  private readonly trace = svg("polyline", { class: "df-chart-trace" });
  private readonly last = svg("circle", { class: "df-chart-last", r: 3.5 });

  constructor() {
    this.picture = svg(
      "svg",
      { class: "df-chart-svg", viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: "img" },
      this.grid,
      this.evalLine,
      this.exactLine,
      this.trace,
      this.last,
      this.evalLabel,
      this.exactLabel,
    );
    const key = (className: string, words: string): HTMLElement =>
      html(
        "span",
        { class: "df-legend-item" },
        html("span", { class: `df-key ${className}`, "aria-hidden": "true" }),
        words,
      );
    this.element = html(
      "figure",
      { class: "df-panel df-chart" },
      this.picture,
      html(
        "figcaption",
        { class: "df-legend" },
        key("df-key-trace", "running mean"),
        key("df-key-eval", "eval output"),
        key("df-key-exact", "exact expectation"),
      ),
    );
  }

  update(frame: DataFlowFrame): void {
    const { values, traceDraws, traceMean } = frame;
    const draws = values.draws;
    const decades = Math.max(1, Math.ceil(Math.log10(Math.max(draws, 10)) - 1e-9));
    const x = (n: number): number => LEFT + (Math.log10(n) / decades) * PLOT_W;
    let low = Math.min(values.eval_output, values.exact_mean);
    let high = Math.max(values.eval_output, values.exact_mean);
    for (const m of traceMean) {
      low = Math.min(low, m);
      high = Math.max(high, m);
    }
    const span = Math.max(high - low, 0.1);
    const middle = (high + low) / 2;
    low = middle - span * 0.56;
    high = middle + span * 0.56;
    const y = (v: number): number => TOP + ((high - v) / (high - low)) * PLOT_H;

    const grid: SVGElement[] = [];
    for (let d = 0; d <= decades; d++) {
      const at = x(10 ** d);
      grid.push(svg("line", { class: "df-chart-tick", x1: at, x2: at, y1: TOP, y2: TOP + PLOT_H }));
      const label = svg("text", { class: "df-chart-axis df-chart-axis-x", x: at, y: HEIGHT - 12 });
      label.textContent = DECADE_NAMES[d] ?? `1e${d}`;
      grid.push(label);
    }
    const title = svg("text", { class: "df-chart-axis df-chart-axis-title", x: LEFT + PLOT_W / 2, y: HEIGHT - 1 });
    title.textContent = "masks drawn (log scale)";
    grid.push(title);
    for (const v of ticks(low, high)) {
      const at = y(v);
      grid.push(svg("line", { class: "df-chart-tick", x1: LEFT, x2: LEFT + PLOT_W, y1: at, y2: at }));
      const label = svg("text", { class: "df-chart-axis df-chart-axis-y", x: LEFT - 6, y: at });
      label.textContent = fixed(v, Math.abs(v) >= 10 ? 1 : 2);
      grid.push(label);
    }
    this.grid.replaceChildren(...grid);

    const line = (element: SVGLineElement, value: number): void => {
      const at = y(value).toFixed(1);
      setAttr(element, "x1", LEFT);
      setAttr(element, "x2", LEFT + PLOT_W);
      setAttr(element, "y1", at);
      setAttr(element, "y2", at);
    };
    line(this.evalLine, values.eval_output);
    line(this.exactLine, values.exact_mean);
    // Labels at the right end: one above and one below, or one for both when the lines coincide.
    const apart = Math.abs(y(values.eval_output) - y(values.exact_mean)) > 14;
    const evalAbove = values.eval_output >= values.exact_mean;
    const place = (label: SVGTextElement, value: number, above: boolean, text: string): void => {
      setAttr(label, "x", LEFT + PLOT_W - 4);
      setAttr(label, "y", (y(value) + (above ? -5 : 13)).toFixed(1));
      setText(label, text);
    };
    if (apart) {
      place(this.evalLabel, values.eval_output, evalAbove, `eval ${fixed(values.eval_output, 2)}`);
      place(this.exactLabel, values.exact_mean, !evalAbove, `exact ${fixed(values.exact_mean, 2)}`);
    } else {
      place(this.evalLabel, values.eval_output, true, `eval = exact ${fixed(values.eval_output, 2)}`);
      setText(this.exactLabel, "");
    }

    const points: string[] = [];
    for (let i = 0; i < traceDraws.length; i++) {
      points.push(`${x(traceDraws[i] ?? 1).toFixed(1)},${y(traceMean[i] ?? 0).toFixed(1)}`);
    }
    setAttr(this.trace, "points", points.join(" "));
    const end = points[points.length - 1]?.split(",") ?? ["0", "0"];
    setAttr(this.last, "cx", end[0] ?? "0");
    setAttr(this.last, "cy", end[1] ?? "0");
    setAttr(
      this.picture,
      "aria-label",
      `Running mean ${fixed(values.running_mean, 3)} after ${draws} masks; eval output ` +
        `${fixed(values.eval_output, 3)}; exact expectation ${fixed(values.exact_mean, 3)}.`,
    );
  }
}
