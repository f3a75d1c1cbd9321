// The network drawing: inputs → hidden 1 → hidden 2 → outputs, every unit and every edge, as SVG.
// Kept units are shaded by their activation for the probe, dropped ones shrink and grey out, and an
// edge is drawn active only when both of its ends are alive. The drawing is one Tab stop: inside it the
// arrow keys move from unit to unit (a roving tabindex), so that the keyboard does not have to step
// through every unit to get past it.

import { html, setAttr, setText, svg } from "../shared/dom";
import { classColour, css, mix, saturate, type Palette } from "../shared/palette";
import type { PlaygroundFrame } from "./types";

const HEIGHT = 340;
// The drawing's coordinates follow its width on screen (in coarse steps), so that its text keeps
// about the same size from phones to wide screens, and a narrow drawing is not a shrunken wide one.
const WIDTH_STEP = 20;
const MIN_WIDTH = 360;
const MAX_WIDTH = 600;
const COLUMN_AT = [0.13, 0.39, 0.64, 0.87];
const TOP = 22;
const BOTTOM = HEIGHT - 40;
const LAYER_NAMES = ["input", "hidden 1", "hidden 2", "output"];
const SUBSCRIPTS = ["₁", "₂"];
// Output labels are their class colour moved this far towards the ink: class 2, the lightest, then reads
// at 5.1:1 on the figure's paper (12 px text needs 4.5:1).
const LABEL_INK = 0.4;

interface Unit {
  group: SVGGElement;
  body: SVGCircleElement;
  layer: number;
  index: number;
  y: number;
  label: string;
}

interface Edge {
  line: SVGLineElement;
  layer: number;
  from: number;
  to: number;
}

function two(value: number): string {
  return value.toFixed(2);
}

export class NetworkDrawing {
  readonly element: HTMLElement;
  private readonly drawing: HTMLElement;
  private readonly picture: SVGSVGElement;
  private readonly tip: HTMLElement;
  private units: Unit[] = [];
  private edges: Edge[] = [];
  private outputsText: SVGTextElement[] = [];
  private shape = "";
  private radius = 12;
  private shown: Unit | null = null;
  /** The drawing's one Tab stop: the unit focused last (the first input until then). */
  private current: Unit | null = null;
  private width = 520;
  private frame: PlaygroundFrame | null = null;

  constructor(private readonly palette: Palette) {
    this.picture = svg("svg", {
      class: "pg-network-svg",
      role: "group",
      "aria-label":
        "The network: every unit and edge. Arrow keys move from unit to unit and read its value: " +
        "up and down within a layer, left and right between layers; Home and End go to the first input " +
        "and the last output.",
    });
    this.picture.addEventListener("keydown", (event) => this.step(event));
    this.tip = html("div", { class: "pg-tip", "aria-hidden": "true", hidden: true });
    this.drawing = html("div", { class: "pg-network" }, this.picture, this.tip);
    this.element = html("figure", { class: "pg-panel pg-panel-network" }, this.drawing, legend());
    new ResizeObserver(() => this.fit()).observe(this.drawing);
  }

  private fit(): void {
    const shown = this.drawing.clientWidth;
    if (shown === 0) return;
    const width = Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, Math.round(shown / WIDTH_STEP) * WIDTH_STEP));
    if (width === this.width) return;
    this.width = width;
    this.shape = "";
    if (this.frame) this.update(this.frame);
  }

  update(frame: PlaygroundFrame): void {
    this.frame = frame;
    const shape = frame.values.sizes.join(",");
    if (shape !== this.shape) this.build(frame.values.sizes);
    this.shape = shape;
    this.paintEdges(frame);
    this.paintUnits(frame);
    if (this.shown) this.showTip(this.shown);
  }

  private column(layer: number): number {
    return Math.round((COLUMN_AT[layer] ?? 0) * this.width);
  }

  private positions(sizes: number[]): Array<Array<[number, number]>> {
    const largest = Math.max(...sizes);
    const spacing = Math.min(50, (BOTTOM - TOP) / Math.max(largest - 1, 1));
    this.radius = Math.max(5, Math.min(14, spacing * 0.36));
    const centre = (TOP + BOTTOM) / 2;
    return sizes.map((n, layer) =>
      Array.from({ length: n }, (_, i): [number, number] => [this.column(layer), centre + (i - (n - 1) / 2) * spacing]),
    );
  }

  private build(sizes: number[]): void {
    // A new drawing keeps its Tab stop, and focus, on the unit nearest to where they were.
    const before = this.current;
    const hadFocus = before !== null && before.group.contains(document.activeElement);
    setAttr(this.picture, "viewBox", `0 0 ${this.width} ${HEIGHT}`);
    const at = this.positions(sizes);
    const edgeGroup = svg("g", { class: "pg-edges" });
    const unitGroup = svg("g", { class: "pg-units" });
    const labelGroup = svg("g", { class: "pg-layer-labels", "aria-hidden": "true" });
    this.edges = [];
    this.units = [];
    this.outputsText = [];
    for (let layer = 0; layer + 1 < sizes.length; layer++) {
      at[layer]?.forEach(([x1, y1], from) =>
        at[layer + 1]?.forEach(([x2, y2], to) => {
          const line = svg("line", { class: "pg-edge", x1, y1, x2, y2 });
          edgeGroup.append(line);
          this.edges.push({ line, layer, from, to });
        }),
      );
    }
    at.forEach((column, layer) => {
      column.forEach(([x, y], index) => {
        const body = svg("circle", { class: "pg-unit-body", cx: x, cy: y, r: this.radius });
        const halo = svg("circle", { class: "pg-unit-halo", cx: x, cy: y, r: this.radius + 5 });
        const group = svg(
          "g",
          { class: "pg-unit", tabindex: -1, role: "img", "data-layer": layer, "data-index": index + 1 },
          halo,
          body,
        );
        const unit: Unit = { group, body, layer, index, y, label: "" };
        group.addEventListener("pointerenter", () => this.showTip(unit));
        group.addEventListener("pointerleave", () => this.hideTip(unit));
        group.addEventListener("focus", () => {
          this.makeCurrent(unit);
          this.showTip(unit);
        });
        group.addEventListener("blur", () => this.hideTip(unit));
        unitGroup.append(group);
        this.units.push(unit);
        if (layer === 0) {
          const text = svg("text", { class: "pg-input-label", x: x - this.radius - 8, y, "aria-hidden": "true" });
          text.textContent = `x${SUBSCRIPTS[index] ?? index + 1}`;
          labelGroup.append(text);
        }
        if (layer === sizes.length - 1) {
          const text = svg("text", { class: "pg-output-label", x: x + this.radius + 7, y, "aria-hidden": "true" });
          labelGroup.append(text);
          this.outputsText.push(text);
        }
      });
      const name = svg("text", { class: "pg-layer-label", x: this.column(layer), y: HEIGHT - 10 });
      name.textContent = LAYER_NAMES[layer] ?? "";
      labelGroup.append(name);
    });
    this.picture.replaceChildren(edgeGroup, unitGroup, labelGroup);
    this.shown = null;
    this.tip.hidden = true;
    this.current = null;
    const first = this.units[0];
    const next = before ? this.nearest(before.layer, before.y) : first;
    if (next) this.makeCurrent(next);
    if (hadFocus) next?.group.focus();
  }

  private makeCurrent(unit: Unit): void {
    if (this.current === unit) return;
    if (this.current) setAttr(this.current.group, "tabindex", -1);
    setAttr(unit.group, "tabindex", 0);
    this.current = unit;
  }

  /** The unit of `layer` (clamped to the drawing) level with `y`, or the nearest above it. */
  private nearest(layer: number, y: number): Unit | undefined {
    const last = this.units[this.units.length - 1]?.layer ?? 0;
    const wanted = Math.min(last, Math.max(0, layer));
    let best: Unit | undefined;
    for (const unit of this.units) {
      if (unit.layer !== wanted) continue;
      if (!best || Math.abs(unit.y - y) < Math.abs(best.y - y) - 0.5) best = unit;
    }
    return best;
  }

  private step(event: KeyboardEvent): void {
    const from = this.current;
    if (!from || event.altKey || event.ctrlKey || event.metaKey) return;
    const inLayer = this.units.filter((unit) => unit.layer === from.layer);
    const moves: Record<string, () => Unit | undefined> = {
      ArrowUp: () => inLayer[Math.max(0, from.index - 1)],
      ArrowDown: () => inLayer[Math.min(inLayer.length - 1, from.index + 1)],
      ArrowLeft: () => this.nearest(from.layer - 1, from.y),
      ArrowRight: () => this.nearest(from.layer + 1, from.y),
      Home: () => this.units[0],
      End: () => this.units[this.units.length - 1],
    };
    const move = moves[event.key];
    if (!move) return;
    event.preventDefault();
    const to = move();
    if (!to) return;
    this.makeCurrent(to);
    to.group.focus();
  }

  private alive(frame: PlaygroundFrame, layer: number, index: number): boolean {
    const mask = layer === 1 || layer === 2 ? frame.arrays.masks[layer - 1] : null;
    return mask ? mask[index] === 1 : true;
  }

  private paintEdges(frame: PlaygroundFrame): void {
    const { sizes } = frame.values;
    const { palette } = this;
    for (const edge of this.edges) {
      const outputs = sizes[edge.layer + 1] ?? 0;
      const weight = frame.arrays.weights[edge.layer]?.[edge.from * outputs + edge.to] ?? 0;
      const active = this.alive(frame, edge.layer, edge.from) && this.alive(frame, edge.layer + 1, edge.to);
      const t = saturate(weight);
      const line = edge.line;
      setAttr(line, "data-active", String(active));
      setAttr(line, "data-sign", weight < 0 ? "negative" : "positive");
      setAttr(line, "stroke", css(active ? (weight < 0 ? palette.negative : palette.positive) : palette.muted));
      setAttr(line, "stroke-width", active ? (0.5 + 3.5 * t).toFixed(2) : "0.7");
      setAttr(line, "stroke-opacity", active ? (0.25 + 0.65 * t).toFixed(2) : "0.16");
    }
  }

  private paintUnits(frame: PlaygroundFrame): void {
    const { values, arrays } = frame;
    const { palette } = this;
    const last = values.sizes.length - 1;
    for (const unit of this.units) {
      const { layer, index, body, group } = unit;
      let fill = palette.input;
      let stroke = palette.ink;
      let state = "input";
      let r = this.radius;
      if (layer === 0) {
        const coordinate = values.settings.probe[index] ?? 0;
        unit.label = `Input x${SUBSCRIPTS[index] ?? index + 1} = ${two(coordinate)} (the probe's coordinate)`;
      } else if (layer === last) {
        const probability = values.prediction[index] ?? 0;
        const colour = classColour(palette, index);
        fill = mix(palette.paper, colour, 0.12 + 0.88 * probability);
        stroke = colour;
        state = "output";
        unit.label = `Output, class ${index + 1}: probability ${probability.toFixed(3)}`;
        const text = this.outputsText[index];
        if (text) {
          setText(text, `${Math.round(probability * 100)}%`);
          setAttr(text, "fill", css(mix(colour, palette.ink, LABEL_INK)));
        }
      } else {
        const h = arrays.activations[layer - 1]?.[index] ?? 0;
        const passed = arrays.passed[layer - 1]?.[index] ?? 0;
        const where = `Hidden ${layer}, unit ${index + 1}`;
        if (this.alive(frame, layer, index)) {
          state = "alive";
          fill = mix(palette.paper, palette.accent, 0.1 + 0.9 * saturate(h));
          stroke = mix(palette.accent, palette.ink, 0.25);
          unit.label = `${where}: h = ${two(h)}, passes on ${two(passed)}`;
        } else {
          state = "dropped";
          fill = palette.dropped;
          stroke = palette.muted;
          r = this.radius * 0.55;
          unit.label = `${where}: dropped (h = ${two(h)}, passes on 0)`;
        }
      }
      setAttr(group, "data-state", state);
      setAttr(group, "aria-label", unit.label);
      setAttr(body, "r", r.toFixed(2));
      setAttr(body, "fill", css(fill));
      setAttr(body, "stroke", css(stroke));
    }
  }

  private showTip(unit: Unit): void {
    this.shown = unit;
    setText(this.tip, unit.label);
    this.tip.hidden = false;
    const box = this.drawing.getBoundingClientRect();
    const target = unit.body.getBoundingClientRect();
    const x = target.left + target.width / 2 - box.left;
    const below = target.top - box.top < 48;
    const y = below ? target.bottom - box.top + 8 : target.top - box.top - 8;
    this.tip.classList.toggle("is-below", below);
    // Keep the tip inside the drawing: anchor it by its left or right edge near the sides.
    const side = x < box.width * 0.3 ? "start" : x > box.width * 0.7 ? "end" : "middle";
    this.tip.dataset.anchor = side;
    this.tip.style.left = `${x}px`;
    this.tip.style.top = `${y}px`;
  }

  private hideTip(unit: Unit): void {
    if (this.shown !== unit) return;
    // A unit that has focus keeps its tip while the pointer wanders off.
    if (document.activeElement === unit.group && unit.group.matches(":focus-visible")) return;
    this.shown = null;
    this.tip.hidden = true;
  }
}

function legend(): HTMLElement {
  const item = (className: string, text: string): HTMLElement =>
    html(
      "span",
      { class: "pg-legend-item" },
      html("span", { class: `pg-key ${className}`, "aria-hidden": "true" }),
      text,
    );
  return html(
    "figcaption",
    { class: "pg-legend" },
    item("pg-key-kept", "kept unit (darker: larger activation)"),
    item("pg-key-dropped", "dropped unit"),
    item("pg-key-positive", "positive weight"),
    item("pg-key-negative", "negative weight"),
  );
}
