// The 2 → 4 → 1 network with the value on every unit and every edge, for the current mask. An edge
// carries its input times its weight; a hidden unit shows h̃, what it passes on; a dropped unit is drawn
// dashed and grey, passes on 0, and so do its outgoing edges. Each value sits on its own edge (see
// edge-labels.ts); pointing at an edge, or stepping to it with the arrow keys, picks it out and spells
// out its product under the drawing.

import { html, setAttr, setText, svg } from "../shared/dom";
import { css, mix, saturate, type Palette } from "../shared/palette";
import { placeEdgeLabels, type Box, type Circle, type Segment } from "./edge-labels";
import { fixed, signed, type DataFlowFrame, type DataFlowValues } from "./types";

const HEIGHT = 372;
// The drawing's coordinates follow its width on screen, so its numbers keep their size on a phone; below
// MIN_WIDTH the edges' values no longer fit apart, and the drawing shrinks instead.
const WIDTH_STEP = 20;
const MIN_WIDTH = 340;
const MAX_WIDTH = 620;
const CENTRE = HEIGHT / 2;
const HIDDEN_SPACING = 88;
const INPUT_HALF_GAP = 36;
const R_INPUT = 23;
const R_HIDDEN = 22;
const R_OUTPUT = 25;
const SUBSCRIPTS = ["₁", "₂", "₃", "₄"];
const DETAIL_DIGITS = 4; // as the table under the figure
// Room kept for a value on an edge at the least: three digits ("0.00"), with the halo; a wider value
// (a minus sign, more digits) makes room for itself.
const LABEL_SAMPLE = "0.00";
const HALO = 4;
const HINT = "Point at or tap an edge, or Tab to the drawing and use the arrow keys, to read how its value is made.";

interface Edge {
  name: string; // "x1-h3", "h2-y"
  from: string; // the units it joins, as data-unit names them
  to: string;
  segment: Segment;
  line: SVGLineElement;
  hit: SVGLineElement;
  tag: SVGGElement;
  box: SVGRectElement;
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

function unitName(unit: string): string {
  if (unit === "y") return "ŷ";
  return `${unit[0]}${SUBSCRIPTS[Number(unit.slice(1)) - 1] ?? ""}`;
}

export class NetworkDrawing {
  readonly element: HTMLElement;
  private readonly picture: SVGSVGElement;
  private readonly drawing: HTMLElement;
  private readonly detail: HTMLElement;
  private width = 560;
  private built = false;
  private frame: DataFlowFrame | null = null;
  private edges: Edge[] = [];
  private inputs: SVGTextElement[] = [];
  private hidden: HiddenUnit[] = [];
  private units = new Map<string, SVGGElement>();
  private output: { value: SVGTextElement; below: SVGTextElement } | null = null;
  /** Room kept for each edge's value ([width, height]); the values are placed again when one outgrows it. */
  private reserved: Array<[number, number]> = [];
  private placed = false;
  private hovered: number | null = null;
  private focused: number | null = null;
  /** The edge the drawing's one Tab stop leads to: the one last visited. */
  private current = 0;

  constructor(private readonly palette: Palette) {
    this.picture = svg("svg", { class: "df-network-svg", role: "group" });
    this.drawing = html("div", { class: "df-network" }, this.picture);
    this.detail = html("p", { class: "df-edge-detail", "data-readout": "edge" }, HINT);
    this.element = html("figure", { class: "df-panel df-panel-network" }, this.drawing, this.detail, legend());
    new ResizeObserver(() => this.fit()).observe(this.drawing);
    this.picture.addEventListener("keydown", (event) => this.key(event));
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
    const lines = svg("g", { class: "df-edges", "aria-hidden": "true" });
    const hits = svg("g", { class: "df-edge-hits", "aria-hidden": "true" });
    const tags = svg("g", { class: "df-edge-tags" });
    const units = svg("g", { class: "df-unit-nodes", "aria-hidden": "true" });
    this.edges = [];
    const edge = (from: string, to: string, x1: number, y1: number, x2: number, y2: number): void => {
      const name = `${from}-${to}`;
      const index = this.edges.length;
      const line = svg("line", { class: "df-edge", x1, y1, x2, y2, "data-edge": name });
      // A wide, unseen line over the thin one, so that the pointer need not find a one-pixel edge.
      const hit = svg("line", { class: "df-edge-hit", x1, y1, x2, y2, "data-edge": name });
      const box = svg("rect", { class: "df-edge-box", rx: 4 });
      const label = svg("text", { class: "df-edge-label", "data-edge": name });
      const tag = svg("g", { class: "df-edge-tag", role: "img", tabindex: -1, "data-edge": name }, box, label);
      for (const target of [hit, tag]) {
        target.addEventListener("pointerenter", () => this.hover(index));
        target.addEventListener("pointerleave", () => this.hover(null));
      }
      // A tap or a click keeps the edge picked out (on a touch screen, nothing hovers).
      hit.addEventListener("click", () => tag.focus({ preventScroll: true }));
      tag.addEventListener("focus", () => this.focus(index));
      tag.addEventListener("blur", () => this.focus(null));
      lines.append(line);
      hits.append(hit);
      tags.append(tag);
      this.edges.push({ name, from, to, segment: { x1, y1, x2, y2 }, line, hit, tag, box, label });
    };
    yIn.forEach((y1, i) => yHidden.forEach((y2, j) => edge(`x${i + 1}`, `h${j + 1}`, xIn, y1, xHidden, y2)));
    yHidden.forEach((y1, j) => edge(`h${j + 1}`, "y", xHidden, y1, xOut, CENTRE));

    this.units.clear();
    const unit = (name: string, ...children: SVGElement[]): SVGGElement => {
      const group = svg("g", { class: "df-unit", "data-unit": name }, ...children);
      this.units.set(name, group);
      units.append(group);
      return group;
    };
    this.inputs = yIn.map((y, i) => {
      const value = svg("text", { class: "df-unit-value", x: xIn, y });
      unit(
        `x${i + 1}`,
        svg("circle", { class: "df-unit-body", cx: xIn, cy: y, r: R_INPUT }),
        value,
        text("df-unit-name df-input-name", xIn - R_INPUT - 7, y, `x${SUBSCRIPTS[i]}`),
      ).dataset.state = "input";
      return value;
    });
    this.hidden = yHidden.map((y, j) => {
      const body = svg("circle", { class: "df-unit-body", cx: xHidden, cy: y, r: R_HIDDEN });
      const value = svg("text", { class: "df-unit-value", x: xHidden, y });
      const above = text("df-unit-note", xHidden, y - R_HIDDEN - 8, "");
      const below = text("df-unit-note df-bias", xHidden, y + R_HIDDEN + 13, "");
      const group = unit(`h${j + 1}`, body, value, above, below);
      return { group, body, value, above, below };
    });
    const value = svg("text", { class: "df-unit-value df-output-value", x: xOut, y: CENTRE });
    const below = text("df-unit-note df-bias", xOut, CENTRE + R_OUTPUT + 13, "");
    unit(
      "y",
      svg("circle", { class: "df-unit-body", cx: xOut, cy: CENTRE, r: R_OUTPUT }),
      value,
      text("df-unit-note df-output-name", xOut, CENTRE - R_OUTPUT - 8, "ŷ"),
      below,
    ).dataset.state = "output";
    this.output = { value, below };
    this.picture.replaceChildren(lines, hits, units, tags);
    this.built = true;
    this.placed = false;
    this.reserved = [];
    this.hovered = null;
    this.focused = null;
    this.edges.forEach((e, i) => setAttr(e.tag, "tabindex", i === this.current ? 0 : -1));
  }

  /** Where the units and their notes are, for the values to keep clear of (the notes at their widest). */
  private obstacles(): { units: Circle[]; notes: Box[] } {
    const [xIn, xHidden, xOut] = this.columns();
    const units: Circle[] = [
      { cx: xIn, cy: CENTRE - INPUT_HALF_GAP, r: R_INPUT },
      { cx: xIn, cy: CENTRE + INPUT_HALF_GAP, r: R_INPUT },
      { cx: xOut, cy: CENTRE, r: R_OUTPUT },
    ];
    const notes: Box[] = [
      [xOut - 22, CENTRE + R_OUTPUT + 6, 44, 14], // its bias
      [xOut - 8, CENTRE - R_OUTPUT - 18, 16, 18], // ŷ
    ];
    for (let j = 0; j < 4; j++) {
      const y = CENTRE + (j - 1.5) * HIDDEN_SPACING;
      units.push({ cx: xHidden, cy: y, r: R_HIDDEN });
      notes.push([xHidden - 32, y - R_HIDDEN - 15, 64, 14]); // "h₁ = 1.25"
      notes.push([xHidden - 21, y + R_HIDDEN + 6, 42, 14]); // its bias
    }
    return { units, notes };
  }

  /** The size of a value as it would read with the given text (the text it shows is put back). */
  private measure(label: SVGTextElement, shown: string): [number, number] | null {
    const now = label.textContent ?? "";
    if (shown !== now) label.textContent = shown;
    const box = label.getBBox();
    if (shown !== now) label.textContent = now;
    // Unrendered (a hidden tab), getBBox measures nothing.
    return box.width > 0 ? [box.width + HALO, box.height + 1] : null;
  }

  /**
   * Measure each value as it reads now, and, for an edge out of a dropped unit, as it would read were the
   * unit kept: a new mask then changes no room. Place them all again if one no longer fits its room.
   */
  private placeLabels(values: DataFlowValues): void {
    const first = this.edges[0]?.label;
    const least = (first && this.measure(first, LABEL_SAMPLE)) ?? [LABEL_SAMPLE.length * 6.8 + HALO, 15];
    let grew = !this.placed;
    this.edges.forEach((edge, i) => {
      const texts = [edge.label.textContent ?? ""];
      if (edge.to === "y") {
        const j = i - 8;
        const kept = (values.hidden[j] ?? 0) * values.train_scale * (values.weights[1][j]?.[0] ?? 0);
        texts.push(two(kept));
      }
      const kept = this.reserved[i] ?? least;
      let room: [number, number] = [Math.max(kept[0], least[0]), Math.max(kept[1], least[1])];
      for (const shown of texts) {
        const size = this.measure(edge.label, shown);
        if (size) room = [Math.max(room[0], size[0]), Math.max(room[1], size[1])];
      }
      if (room[0] > kept[0] + 0.5 || room[1] > kept[1] + 0.5) grew = true;
      this.reserved[i] = room;
    });
    if (!grew) return;
    const { units, notes } = this.obstacles();
    const fractions = placeEdgeLabels(
      this.edges.map((e) => e.segment),
      this.reserved,
      units,
      notes,
    );
    this.edges.forEach((edge, i) => {
      const { x1, y1, x2, y2 } = edge.segment;
      const t = fractions[i] ?? 0.5;
      setAttr(edge.label, "x", (x1 + (x2 - x1) * t).toFixed(1));
      setAttr(edge.label, "y", (y1 + (y2 - y1) * t).toFixed(1));
    });
    this.placed = true;
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
        const edge = this.edges[i * 4 + j];
        if (edge) this.paintEdge(edge, carried, values.mask[j] === true);
      }),
    );
    values.edge_out.forEach((carried, j) => {
      const edge = this.edges[8 + j];
      if (edge) this.paintEdge(edge, carried, values.mask[j] === true);
    });
    this.edges.forEach((edge, i) => setAttr(edge.tag, "aria-label", this.describe(values, i, 2).spoken));
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
    this.placeLabels(values);
    this.showHighlight();
    const kept = values.mask.flatMap((k, j) => (k ? [j + 1] : []));
    const which = kept.length === 0 ? "every hidden unit dropped" : `hidden units ${kept.join(", ")} kept`;
    setAttr(
      this.picture,
      "aria-label",
      `The network for this mask: inputs ${two(values.input[0])} and ${two(values.input[1])}, ${which}, ` +
        `output ${two(values.output)}. The arrow keys step through its edges and the values they carry; ` +
        "the table below lists every hidden value.",
    );
  }

  /** An edge's value and how it is made: in words for a screen reader, in symbols under the drawing. */
  private describe(values: DataFlowValues, index: number, digits: number): { spoken: string; shown: string } {
    const edge = this.edges[index];
    if (!edge) return { spoken: "", shown: "" };
    const n = (v: number): string => fixed(v, digits);
    const from = unitName(edge.from);
    const to = unitName(edge.to);
    if (edge.to === "y") {
      const j = Number(edge.from.slice(1)) - 1;
      const passed = values.passed[j] ?? 0;
      const weight = values.weights[1][j]?.[0] ?? 0;
      const carried = values.edge_out[j] ?? 0;
      const dropped = values.mask[j] !== true;
      const why = dropped ? `${from} is dropped, so it passes on 0` : `what ${from} passes on times the weight`;
      return {
        spoken: `${from} to ${to} carries ${n(carried)}: h̃${from.slice(1)} ${n(passed)} times weight ${n(weight)}.`,
        shown: `${from} → ${to}: h̃${from.slice(1)} ${n(passed)} × ${n(weight)} = ${n(carried)}, ${why}.`,
      };
    }
    const i = Number(edge.from.slice(1)) - 1;
    const j = Number(edge.to.slice(1)) - 1;
    const input = values.input[i] ?? 0;
    const weight = values.weights[0][i]?.[j] ?? 0;
    const carried = values.edge_in[i]?.[j] ?? 0;
    const into = values.mask[j] === true ? "" : `; ${to} is dropped, so nothing comes of it`;
    return {
      spoken: `${from} to ${to} carries ${n(carried)}: input ${n(input)} times weight ${n(weight)}${into}.`,
      shown: `${from} → ${to}: ${n(input)} × ${n(weight)} = ${n(carried)}, the input times the weight${into}.`,
    };
  }

  private hover(index: number | null): void {
    this.hovered = index;
    this.showHighlight();
  }

  private focus(index: number | null): void {
    this.focused = index;
    if (index !== null) this.current = index;
    this.showHighlight();
  }

  /** The edge pointed at, or else the one with the keyboard's focus, stands out; the others fade. */
  private showHighlight(): void {
    const chosen = this.hovered ?? this.focused;
    const edge = chosen === null ? null : this.edges[chosen];
    this.picture.classList.toggle("has-highlight", edge !== null && edge !== undefined);
    this.edges.forEach((e, i) => {
      const on = i === chosen;
      e.line.classList.toggle("is-highlighted", on);
      e.tag.classList.toggle("is-highlighted", on);
    });
    for (const [name, group] of this.units) {
      group.classList.toggle("is-joined", edge ? name === edge.from || name === edge.to : false);
    }
    if (!edge || chosen === null || !this.frame) {
      setText(this.detail, HINT);
      return;
    }
    setText(this.detail, this.describe(this.frame.values, chosen, DETAIL_DIGITS).shown);
    // A backing card behind the value, sized to it as it reads now.
    const box = edge.label.getBBox();
    setAttr(edge.box, "x", (box.x - 3).toFixed(1));
    setAttr(edge.box, "y", (box.y - 1).toFixed(1));
    setAttr(edge.box, "width", (box.width + 6).toFixed(1));
    setAttr(edge.box, "height", (box.height + 2).toFixed(1));
  }

  /** Arrow keys move between the edges, in reading order; Home and End go to the first and the last. */
  private key(event: KeyboardEvent): void {
    const at = this.edges.findIndex((e) => e.tag === event.target);
    if (at < 0) return;
    const last = this.edges.length - 1;
    const next: Record<string, number> = {
      ArrowDown: Math.min(last, at + 1),
      ArrowRight: Math.min(last, at + 1),
      ArrowUp: Math.max(0, at - 1),
      ArrowLeft: Math.max(0, at - 1),
      Home: 0,
      End: last,
    };
    const to = next[event.key];
    if (to === undefined) return;
    event.preventDefault();
    const edge = this.edges[to];
    if (!edge) return;
    this.edges.forEach((e, i) => setAttr(e.tag, "tabindex", i === to ? 0 : -1));
    this.current = to;
    edge.tag.focus();
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
