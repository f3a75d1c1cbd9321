// The 2 → 4 → 1 network with the value on every unit and every edge, for the current mask. An edge
// carries its input times its weight; a hidden unit shows h̃, what it passes on; a dropped unit is drawn
// dashed and grey, passes on 0, and so do its outgoing edges.

import { html, setAttr, setText, svg } from "../shared/dom";
import { css, mix, saturate, type Palette } from "../shared/palette";
import { fixed, signed, type DataFlowFrame } from "./types";

const HEIGHT = 372;
// The drawing's coordinates follow its width on screen, so its numbers keep their size on a phone.
const WIDTH_STEP = 20;
const MIN_WIDTH = 300;
const MAX_WIDTH = 620;
const CENTRE = HEIGHT / 2;
const HIDDEN_SPACING = 88;
// Input → hidden labels sit at this fraction of their edge. With the inputs 2·INPUT_HALF_GAP apart,
// the eight labels are evenly spaced in height: (1 − t)·gap = spacing·t − (1 − t)·gap.
const IN_LABEL_AT = 0.62;
const INPUT_HALF_GAP = Math.round((HIDDEN_SPACING * IN_LABEL_AT) / (1 - IN_LABEL_AT) / 4);
const R_INPUT = 23;
const R_HIDDEN = 22;
const R_OUTPUT = 25;
const SUBSCRIPTS = ["₁", "₂", "₃", "₄"];

interface Edge {
  line: SVGLineElement;
  label: SVGTextElement;
}

interface HiddenUnit {
  group: SVGGElement;
  body: SVGCircleElement;
  value: SVGTextElement;
  above: SVGTextElement;
  below: SVGTextElement;
}

function two(value: number): string {
  return fixed(value, 2);
}

export class NetworkDrawing {
  readonly element: HTMLElement;
  private readonly picture: SVGSVGElement;
  private readonly drawing: HTMLElement;
  private width = 560;
  private built = false;
  private frame: DataFlowFrame | null = null;
  private inEdges: Edge[][] = [];
  private outEdges: Edge[] = [];
  private inputs: SVGTextElement[] = [];
  private hidden: HiddenUnit[] = [];
  private output: { value: SVGTextElement; below: SVGTextElement } | null = null;

  constructor(private readonly palette: Palette) {
    this.picture = svg("svg", { class: "df-network-svg", role: "img" });
    this.drawing = html("div", { class: "df-network" }, this.picture);
    this.element = html("figure", { class: "df-panel df-panel-network" }, this.drawing, legend());
    new ResizeObserver(() => this.fit()).observe(this.drawing);
  }

  private fit(): void {
    const shown = this.drawing.clientWidth;
    if (shown === 0) return;
    const width = Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, Math.round(shown / WIDTH_STEP) * WIDTH_STEP));
    if (width === this.width && this.built) return;
    this.width = width;
    this.built = false;
    if (this.frame) this.update(this.frame);
  }

  private columns(): [number, number, number] {
    const input = Math.max(50, Math.round(this.width * 0.1));
    const output = this.width - Math.max(46, Math.round(this.width * 0.09));
    return [input, Math.round(input + (output - input) * 0.56), output];
  }

  private build(): void {
    const [xIn, xHidden, xOut] = this.columns();
    const yIn = [CENTRE - INPUT_HALF_GAP, CENTRE + INPUT_HALF_GAP];
    const yHidden = [0, 1, 2, 3].map((j) => CENTRE + (j - 1.5) * HIDDEN_SPACING);
    setAttr(this.picture, "viewBox", `0 0 ${this.width} ${HEIGHT}`);
    const edges = svg("g", { class: "df-edges" });
    const labels = svg("g", { class: "df-edge-labels", "aria-hidden": "true" });
    const units = svg("g", { class: "df-units", "aria-hidden": "true" });
    const edge = (x1: number, y1: number, x2: number, y2: number, at: number, kind: string): Edge => {
      const line = svg("line", { class: "df-edge", x1, y1, x2, y2, "data-edge": kind });
      const label = svg("text", {
        class: "df-edge-label",
        x: (x1 + (x2 - x1) * at).toFixed(1),
        y: (y1 + (y2 - y1) * at).toFixed(1),
        "data-edge": kind,
      });
      edges.append(line);
      labels.append(label);
      return { line, label };
    };
    this.inEdges = yIn.map((y1, i) =>
      yHidden.map((y2, j) => edge(xIn, y1, xHidden, y2, IN_LABEL_AT, `x${i + 1}-h${j + 1}`)),
    );
    this.outEdges = yHidden.map((y1, j) => edge(xHidden, y1, xOut, CENTRE, 0.5, `h${j + 1}-y`));

    this.inputs = yIn.map((y, i) => {
      const value = svg("text", { class: "df-unit-value", x: xIn, y });
      units.append(
        svg("g", { class: "df-unit", "data-unit": `x${i + 1}`, "data-state": "input" },
          svg("circle", { class: "df-unit-body", cx: xIn, cy: y, r: R_INPUT }),
          value,
          text("df-unit-name df-input-name", xIn - R_INPUT - 7, y, `x${SUBSCRIPTS[i]}`),
        ),
      );
      return value;
    });
    this.hidden = yHidden.map((y, j) => {
      const body = svg("circle", { class: "df-unit-body", cx: xHidden, cy: y, r: R_HIDDEN });
      const value = svg("text", { class: "df-unit-value", x: xHidden, y });
      const above = text("df-unit-note", xHidden, y - R_HIDDEN - 8, "");
      const below = text("df-unit-note df-bias", xHidden, y + R_HIDDEN + 13, "");
      const group = svg("g", { class: "df-unit", "data-unit": `h${j + 1}` }, body, value, above, below);
      units.append(group);
      return { group, body, value, above, below };
    });
    const value = svg("text", { class: "df-unit-value df-output-value", x: xOut, y: CENTRE });
    const below = text("df-unit-note df-bias", xOut, CENTRE + R_OUTPUT + 13, "");
    units.append(
      svg("g", { class: "df-unit", "data-unit": "y", "data-state": "output" },
        svg("circle", { class: "df-unit-body", cx: xOut, cy: CENTRE, r: R_OUTPUT }),
        value,
        text("df-unit-note df-output-name", xOut, CENTRE - R_OUTPUT - 8, "ŷ"),
        below,
      ),
    );
    this.output = { value, below };
    this.picture.replaceChildren(edges, units, labels);
    this.built = true;
  }

  update(frame: DataFlowFrame): void {
    this.frame = frame;
    if (!this.built) this.build();
    const { values } = frame;
    const { palette } = this;
    values.input.forEach((x, i) => {
      const label = this.inputs[i];
      if (label) setText(label, two(x));
    });
    values.edge_in.forEach((row, i) =>
      row.forEach((carried, j) => {
        const edge = this.inEdges[i]?.[j];
        if (edge) this.paintEdge(edge, carried, values.mask[j] === true);
      }),
    );
    values.edge_out.forEach((carried, j) => {
      const edge = this.outEdges[j];
      if (edge) this.paintEdge(edge, carried, values.mask[j] === true);
    });
    this.hidden.forEach((unit, j) => {
      const kept = values.mask[j] === true;
      const h = values.hidden[j] ?? 0;
      const passed = values.passed[j] ?? 0;
      setAttr(unit.group, "data-state", kept ? "kept" : "dropped");
      setText(unit.value, two(passed));
      setText(unit.above, `h${SUBSCRIPTS[j]} = ${two(h)}`);
      setText(unit.below, `b ${signed(values.biases[0][j] ?? 0, 2)}`);
      const fill = kept ? mix(palette.paper, palette.accent, 0.12 + 0.6 * saturate(passed)) : palette.dropped;
      setAttr(unit.body, "fill", css(fill));
      setAttr(unit.body, "stroke", css(kept ? mix(palette.accent, palette.ink, 0.25) : palette.muted));
    });
    if (this.output) {
      setText(this.output.value, two(values.output));
      setText(this.output.below, `b ${signed(values.biases[1][0] ?? 0, 2)}`);
    }
    const kept = values.mask.flatMap((k, j) => (k ? [j + 1] : []));
    const which = kept.length === 0 ? "every hidden unit dropped" : `hidden units ${kept.join(", ")} kept`;
    setAttr(
      this.picture,
      "aria-label",
      `The network for this mask: inputs ${two(values.input[0])} and ${two(values.input[1])}, ${which}, ` +
        `output ${two(values.output)}. The table below lists every hidden value.`,
    );
  }

  private paintEdge(edge: Edge, carried: number, intoKeptUnit: boolean): void {
    const { palette } = this;
    const t = saturate(carried);
    const zero = carried === 0;
    const colour = zero ? palette.muted : carried < 0 ? palette.negative : palette.positive;
    // An edge into a dropped unit still carries its value, but nothing comes of it: drawn faint.
    const faint = !intoKeptUnit;
    setAttr(edge.line, "stroke", css(colour));
    setAttr(edge.line, "stroke-width", zero ? "1" : (1 + 3.5 * t).toFixed(2));
    setAttr(edge.line, "stroke-opacity", zero ? "0.45" : ((faint ? 0.45 : 1) * (0.35 + 0.6 * t)).toFixed(2));
    setAttr(edge.line, "data-state", zero ? "zero" : faint ? "faint" : "carrying");
    setText(edge.label, two(carried));
    setAttr(edge.label, "data-state", zero || faint ? "faint" : carried < 0 ? "negative" : "positive");
  }
}

function text(className: string, x: number, y: number, content: string): SVGTextElement {
  const element = svg("text", { class: className, x, y });
  element.textContent = content;
  return element;
}

function legend(): HTMLElement {
  const item = (className: string, words: string): HTMLElement =>
    html(
      "span",
      { class: "df-legend-item" },
      html("span", { class: `df-key ${className}`, "aria-hidden": "true" }),
      words,
    );
  return html(
    "figcaption",
    { class: "df-legend" },
    html(
      "span",
      { class: "df-legend-text" },
      "On each edge: the value it carries (input × weight). In each hidden unit: ",
      html("var", {}, "h̃"),
      ", what it passes on.",
    ),
    item("df-key-kept", "kept"),
    item("df-key-dropped", "dropped"),
    item("df-key-positive", "carries +"),
    item("df-key-negative", "carries −"),
  );
}
