// The decision map: the network's class probabilities over the input plane, the training points on
// top, and the probe whose prediction the rest of the figure reports. The map is drawn at the grid's
// own size with putImageData and scaled up by CSS, which smooths it for free. Its text alternative says
// which class holds which part of the map (map-description.ts).

import { html, setAttr, setText, svg } from "../shared/dom";
import { classColour, css, mix, type Palette } from "../shared/palette";
import { paintProbabilities } from "../shared/probability-map";
import { describeMap } from "./map-description";
import type { PlaygroundFrame } from "./types";

const VIEW = 1000; // the overlay's coordinates: the plane maps onto 0..VIEW on both axes
const KEY_STEPS = 32; // arrow keys move the probe by this fraction of the plane, Shift by four times more

type Bounds = [number, number, number, number];

let uid = 0;

export class DecisionMap {
  readonly element: HTMLElement;
  private readonly surface: HTMLElement;
  private readonly caption: HTMLElement;
  private readonly description: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly overlay: SVGSVGElement;
  private readonly pointsGroup: SVGGElement;
  private readonly probe: SVGGElement;
  private pointsKey = "";
  /** The plane the picture covers: the grid's bounds, widened by half a cell, as each cell is drawn
   * as a square centred on its grid point. */
  private plane: Bounds = [0, 1, 0, 1];
  private bounds: Bounds = [0, 1, 0, 1];
  private target: [number, number] | null = null;
  private dragging = false;

  constructor(
    private readonly palette: Palette,
    private readonly moveProbe: (x: number, y: number) => void,
  ) {
    this.canvas = html("canvas", { class: "pg-map-canvas", width: 64, height: 64, "aria-hidden": "true" });
    this.pointsGroup = svg("g", { class: "pg-points" });
    this.probe = svg(
      "g",
      { class: "pg-probe" },
      svg("circle", { class: "pg-probe-ring", r: 26 }),
      svg("line", { class: "pg-probe-hair", x1: -40, x2: -14, y1: 0, y2: 0 }),
      svg("line", { class: "pg-probe-hair", x1: 14, x2: 40, y1: 0, y2: 0 }),
      svg("line", { class: "pg-probe-hair", y1: -40, y2: -14, x1: 0, x2: 0 }),
      svg("line", { class: "pg-probe-hair", y1: 14, y2: 40, x1: 0, x2: 0 }),
    );
    this.overlay = svg(
      "svg",
      { class: "pg-map-overlay", viewBox: `0 0 ${VIEW} ${VIEW}`, "aria-hidden": "true" },
      this.pointsGroup,
      this.probe,
    );
    this.caption = html("span");
    this.description = html("p", { class: "visually-hidden", id: `pg-map-description-${++uid}` });
    this.surface = html(
      "div",
      {
        class: "pg-map",
        tabindex: 0,
        role: "group",
        "aria-roledescription": "decision map",
        "aria-label": "Decision map. Click or tap to move the probe; with the map focused, arrow keys move it.",
        "aria-describedby": this.description.id,
      },
      this.canvas,
      this.overlay,
    );
    this.element = html(
      "figure",
      { class: "pg-panel pg-panel-map" },
      this.surface,
      html(
        "figcaption",
        { class: "pg-caption" },
        this.caption,
        " Click or tap to move the probe ",
        html("span", { class: "pg-probe-icon", "aria-hidden": "true" }, "⊕"),
        ".",
      ),
      this.description,
    );
    this.listen();
  }

  update(frame: PlaygroundFrame): void {
    const { values, arrays } = frame;
    this.bounds = values.bounds;
    const [x0, x1, y0, y1] = values.bounds;
    const halfX = (x1 - x0) / (values.grid - 1) / 2;
    const halfY = (y1 - y0) / (values.grid - 1) / 2;
    this.plane = [x0 - halfX, x1 + halfX, y0 - halfY, y1 + halfY];
    const classes = values.sizes[values.sizes.length - 1] ?? 1;
    this.paint(arrays.heatmap, values.grid, classes);
    const { probe } = values.settings;
    setText(this.description, describeMap(arrays.heatmap, values.grid, classes, probe, values.predicted_class));
    const key = `${values.settings.dataset}:${arrays.points.length}`;
    if (key !== this.pointsKey) this.placePoints(arrays.points, arrays.labels);
    this.pointsKey = key;
    const [px, py] = values.settings.probe;
    const [sx, sy] = this.toView(px, py);
    setAttr(this.probe, "transform", `translate(${sx.toFixed(1)} ${sy.toFixed(1)})`);
    setText(
      this.caption,
      values.settings.mode === "train" ? "Decisions of this sub-network." : "Decisions of the full network (eval).",
    );
  }

  /** The probe a key press starts from: where the last request put it, or where the frame shows it. */
  settle(probe: [number, number], idle: boolean): void {
    if (idle) this.target = null;
    this.target ??= [probe[0], probe[1]];
  }

  private paint(heatmap: Uint8Array, grid: number, classes: number): void {
    paintProbabilities(this.canvas, heatmap, grid, classes, this.palette);
  }

  private placePoints(points: Float32Array, labels: Uint8Array): void {
    const dots: SVGCircleElement[] = [];
    for (let i = 0; i < labels.length; i++) {
      const [x, y] = this.toView(points[2 * i] ?? 0, points[2 * i + 1] ?? 0);
      const colour = classColour(this.palette, labels[i] ?? 0);
      dots.push(
        svg("circle", {
          class: "pg-point",
          cx: x.toFixed(1),
          cy: y.toFixed(1),
          r: 9,
          fill: css(colour),
          stroke: css(mix(colour, this.palette.paper, 0.85)),
          "data-class": (labels[i] ?? 0) + 1,
        }),
      );
    }
    this.pointsGroup.replaceChildren(...dots);
  }

  private toView(x: number, y: number): [number, number] {
    const [x0, x1, y0, y1] = this.plane;
    return [((x - x0) / (x1 - x0)) * VIEW, ((y1 - y) / (y1 - y0)) * VIEW];
  }

  private request(x: number, y: number): void {
    const [x0, x1, y0, y1] = this.bounds;
    // Three decimals: the page address keeps four, so a link reproduces the probe exactly.
    const clamp = (v: number, lo: number, hi: number): number =>
      Math.round(Math.min(hi, Math.max(lo, v)) * 1000) / 1000;
    this.target = [clamp(x, x0, x1), clamp(y, y0, y1)];
    this.moveProbe(this.target[0], this.target[1]);
  }

  private fromPointer(event: PointerEvent): void {
    const box = this.surface.getBoundingClientRect();
    const [x0, x1, y0, y1] = this.plane;
    const fx = (event.clientX - box.left) / box.width;
    const fy = (event.clientY - box.top) / box.height;
    this.request(x0 + fx * (x1 - x0), y1 - fy * (y1 - y0));
  }

  private listen(): void {
    const map = this.surface;
    map.addEventListener("pointerdown", (event) => {
      if (event.button !== 0) return;
      this.dragging = event.pointerType !== "touch";
      if (this.dragging) map.setPointerCapture(event.pointerId);
      this.fromPointer(event);
    });
    map.addEventListener("pointermove", (event) => {
      if (this.dragging) this.fromPointer(event);
    });
    const end = (): void => void (this.dragging = false);
    map.addEventListener("pointerup", end);
    map.addEventListener("pointercancel", end);
    map.addEventListener("keydown", (event) => {
      const moves: Record<string, [number, number]> = {
        ArrowLeft: [-1, 0],
        ArrowRight: [1, 0],
        ArrowUp: [0, 1],
        ArrowDown: [0, -1],
      };
      const move = moves[event.key];
      if (!move || !this.target || event.altKey || event.ctrlKey || event.metaKey) return;
      event.preventDefault();
      const [x0, x1, y0, y1] = this.bounds;
      const factor = event.shiftKey ? 4 : 1;
      this.request(
        this.target[0] + (move[0] * factor * (x1 - x0)) / KEY_STEPS,
        this.target[1] + (move[1] * factor * (y1 - y0)) / KEY_STEPS,
      );
    });
  }
}
