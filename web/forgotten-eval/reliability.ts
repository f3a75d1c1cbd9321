// A reliability diagram: for each confidence bin that holds test points, a bar as tall as the share of
// them answered correctly, a circle on the diagonal at the bin's mean confidence (where the bar would end
// if the network were calibrated), and above it how many points the bin holds. Drawn in SVG at the size
// of its box in CSS pixels, so that its text stays legible in a narrow column.

import { html, setAttr, svg } from "../shared/dom";
import { firstBin, fixed3, type ForgottenEvalValues, type ModeReliability } from "./types";

const MIN_HEIGHT = 240;
const MAX_HEIGHT = 300;
const MARGIN = { left: 40, right: 10, top: 24, bottom: 40 };
const BAR_GAP = 1.5;

export class ReliabilityDiagram {
  readonly element: HTMLElement;
  private readonly picture: SVGSVGElement;
  private readonly observer: ResizeObserver;
  private shown: { values: ForgottenEvalValues; mode: ModeReliability } | null = null;
  private drawnKey = "";

  constructor(private readonly title: string) {
    this.picture = svg("svg", { class: "fe-diagram-svg", "aria-hidden": "true", focusable: "false" });
    this.element = html("div", { class: "fe-diagram", role: "img" }, this.picture);
    this.observer = new ResizeObserver(() => this.draw());
    this.observer.observe(this.element);
  }

  update(values: ForgottenEvalValues, mode: ModeReliability): void {
    this.shown = { values, mode };
    setAttr(this.element, "aria-label", this.description(values, mode));
    this.draw();
  }

  destroy(): void {
    this.observer.disconnect();
  }

  private description(values: ForgottenEvalValues, mode: ModeReliability): string {
    const filled = mode.counts.filter((count) => count > 0).length;
    const first = firstBin(values);
    return (
      `${this.title}, reliability diagram of ${values.test_points} test points: ` +
      `ECE ${fixed3(mode.ece)}, accuracy ${fixed3(mode.overall_accuracy)}, ` +
      `mean confidence ${fixed3(mode.mean_confidence)}. ${filled} of the ${values.bins - first} confidence bins ` +
      `from ${(first / values.bins).toFixed(1)} to 1.0 hold points; each bin's numbers are in The numbers.`
    );
  }

  private draw(): void {
    if (!this.shown) return;
    const width = Math.floor(this.element.clientWidth);
    if (width === 0) return; // not laid out yet: the resize observer draws it
    const height = Math.round(Math.min(MAX_HEIGHT, Math.max(MIN_HEIGHT, width * 0.8)));
    const { values, mode } = this.shown;
    const key = `${width}:${values.bins}:${mode.counts}:${mode.accuracy}:${mode.confidence}:${firstBin(values)}`;
    if (key === this.drawnKey) return;
    this.drawnKey = key;

    const { bins } = values;
    const first = firstBin(values);
    const low = first / bins;
    const plotWidth = width - MARGIN.left - MARGIN.right;
    const plotHeight = height - MARGIN.top - MARGIN.bottom;
    const x = (confidence: number): number => MARGIN.left + ((confidence - low) / (1 - low)) * plotWidth;
    const y = (share: number): number => MARGIN.top + (1 - share) * plotHeight;
    const bottom = y(0);
    const parts: SVGElement[] = [];
    const circles: SVGElement[] = [];

    parts.push(svg("rect", { class: "fe-plot", x: x(low), y: y(1), width: plotWidth, height: plotHeight }));
    for (const share of [0, 0.25, 0.5, 0.75, 1]) {
      parts.push(svg("line", { class: "fe-grid", x1: x(low), x2: x(1), y1: y(share), y2: y(share) }));
      if (share * 2 === Math.round(share * 2)) {
        parts.push(svg("text", { class: "fe-tick fe-tick-y", x: MARGIN.left - 6, y: y(share) }, share.toFixed(1)));
      }
    }
    for (let edge = first; edge <= bins; edge++) {
      const at = x(edge / bins);
      parts.push(svg("line", { class: "fe-tick-mark", x1: at, x2: at, y1: bottom, y2: bottom + 4 }));
      parts.push(svg("text", { class: "fe-tick fe-tick-x", x: at, y: bottom + 16 }, (edge / bins).toFixed(1)));
    }
    parts.push(
      svg("text", { class: "fe-axis-label", x: MARGIN.left + plotWidth / 2, y: height - 4 }, "confidence (≥ 0.5)"),
      svg(
        "text",
        {
          class: "fe-axis-label",
          x: 0,
          y: 0,
          transform: `translate(11 ${MARGIN.top + plotHeight / 2}) rotate(-90)`,
        },
        "accuracy",
      ),
      svg("text", { class: "fe-count fe-count-head", x: MARGIN.left - 6, y: MARGIN.top - 8 }, "n"),
    );

    for (let bin = first; bin < bins; bin++) {
      const count = mode.counts[bin] ?? 0;
      if (count === 0) continue;
      const left = x(bin / bins) + BAR_GAP;
      const right = x((bin + 1) / bins) - BAR_GAP;
      const accuracy = mode.accuracy[bin] ?? 0;
      const confidence = mode.confidence[bin] ?? 0;
      const top = y(accuracy);
      parts.push(
        svg("rect", {
          class: "fe-bar",
          "data-bin": bin,
          x: left,
          y: top,
          width: Math.max(0, right - left),
          height: Math.max(0, bottom - top),
        }),
      );
      // The gap between the bar's end and the diagonal is this bin's miscalibration.
      parts.push(svg("line", { class: "fe-gap", x1: x(confidence), x2: x(confidence), y1: top, y2: y(confidence) }));
      circles.push(svg("circle", { class: "fe-confidence", cx: x(confidence), cy: y(confidence), r: 3.6 }));
      parts.push(svg("text", { class: "fe-count", x: (left + right) / 2, y: MARGIN.top - 8 }, String(count)));
    }
    parts.push(svg("line", { class: "fe-diagonal", x1: x(low), y1: y(low), x2: x(1), y2: y(1) }));
    // The circles go on top of the diagonal they sit on.
    parts.push(...circles);

    setAttr(this.picture, "viewBox", `0 0 ${width} ${height}`);
    setAttr(this.picture, "width", width);
    setAttr(this.picture, "height", height);
    this.picture.replaceChildren(...parts);
  }
}
