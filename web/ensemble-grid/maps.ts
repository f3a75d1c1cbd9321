// The maps: one small tile per member (its decisions over the plane, its number, its mask, its test
// accuracy) and two larger maps, the members' average and the eval network, with the training points.

import { html, setAttr, setText, svg } from "../shared/dom";
import { classColour, css, mix, type Palette } from "../shared/palette";
import { paintProbabilities } from "../shared/probability-map";
import { PERCENT, type GridFrame } from "./types";

const VIEW = 1000; // the overlay's coordinates: the plane maps onto 0..VIEW on both axes
const DOT_PITCH = 10; // the mask glyph: one dot per unit, a row per hidden layer, in these units

interface Tile {
  item: HTMLLIElement;
  picture: HTMLElement;
  canvas: HTMLCanvasElement;
  accuracy: HTMLElement;
  glyph: SVGSVGElement;
  glyphKey: string;
}

/** The members, in order: tile i shows member i + 1. */
export class MemberTiles {
  readonly element: HTMLOListElement;
  private tiles: Tile[] = [];

  constructor(private readonly palette: Palette) {
    this.element = html("ol", { class: "gr-tiles", "aria-label": "Members: one sub-network each" });
  }

  update({ values, arrays }: GridFrame): void {
    const { grid, classes, settings } = values;
    const [h1, h2] = settings.hidden;
    const count = settings.members;
    while (this.tiles.length < count) this.tiles.push(this.tile(this.tiles.length + 1));
    if (this.element.children.length !== count) {
      this.element.replaceChildren(...this.tiles.slice(0, count).map((tile) => tile.item));
    }
    const cells = grid * grid * classes;
    const units = h1 + h2;
    for (let i = 0; i < count; i++) {
      const tile = this.tiles[i] as Tile;
      const [kept1, kept2] = values.kept[i] ?? [0, 0];
      const accuracy = values.member_accuracy[i] ?? 0;
      const map = arrays.memberMaps.subarray(i * cells, (i + 1) * cells);
      paintProbabilities(tile.canvas, map, grid, classes, this.palette);
      const percent = PERCENT(accuracy, 0);
      setText(tile.accuracy, percent);
      setAttr(tile.item, "data-kept", `${kept1}/${h1} · ${kept2}/${h2}`);
      const kept = `${kept1} of ${h1} and ${kept2} of ${h2} units kept`;
      setAttr(tile.picture, "aria-label", `Sub-network ${i + 1}: ${kept}, test accuracy ${percent}`);
      this.drawMask(tile, arrays.masks.subarray(i * units, (i + 1) * units), h1, h2);
    }
  }

  private tile(number: number): Tile {
    const canvas = html("canvas", { class: "gr-canvas", width: 32, height: 32, "aria-hidden": "true" });
    const picture = html("div", { class: "gr-tile-map", role: "img" }, canvas);
    const accuracy = html("span", { class: "gr-tile-accuracy", "data-readout": "member-accuracy" });
    const glyph = svg("svg", { class: "gr-glyph", "aria-hidden": "true", focusable: "false" });
    const item = html(
      "li",
      { class: "gr-tile", "data-member": number },
      picture,
      html(
        "div",
        { class: "gr-tile-caption", "aria-hidden": "true" },
        html("span", { class: "gr-tile-number" }, String(number)),
        accuracy,
      ),
      glyph,
    );
    return { item, picture, canvas, accuracy, glyph, glyphKey: "" };
  }

  /** One dot per unit: filled if kept, hollow if dropped; the top row is hidden layer 1. */
  private drawMask(tile: Tile, mask: Uint8Array, h1: number, h2: number): void {
    const key = `${h1},${h2}:${mask.join("")}`;
    if (key === tile.glyphKey) return;
    tile.glyphKey = key;
    const width = Math.max(h1, h2) * DOT_PITCH;
    setAttr(tile.glyph, "viewBox", `0 0 ${width} ${2 * DOT_PITCH}`);
    const dots: SVGCircleElement[] = [];
    [h1, h2].forEach((units, layer) => {
      const offset = layer === 0 ? 0 : h1;
      const left = (width - units * DOT_PITCH) / 2;
      for (let j = 0; j < units; j++) {
        dots.push(
          svg("circle", {
            class: mask[offset + j] ? "gr-dot is-kept" : "gr-dot",
            cx: left + (j + 0.5) * DOT_PITCH,
            cy: (layer + 0.5) * DOT_PITCH,
            r: 3.3,
          }),
        );
      }
    });
    tile.glyph.replaceChildren(...dots);
  }
}

/** A larger map with the training points drawn faintly on top, and its test accuracy below. */
export class LargeMap {
  readonly element: HTMLElement;
  private readonly picture: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly points: SVGGElement;
  private readonly title: HTMLElement;
  private readonly accuracy: HTMLElement;
  private pointsKey = "";

  constructor(
    private readonly palette: Palette,
    name: string,
    description: string,
  ) {
    this.canvas = html("canvas", { class: "gr-canvas", width: 32, height: 32, "aria-hidden": "true" });
    this.points = svg("g", { class: "gr-points" });
    this.picture = html(
      "div",
      { class: "gr-large-map", role: "img" },
      this.canvas,
      svg("svg", { class: "gr-overlay", viewBox: `0 0 ${VIEW} ${VIEW}`, "aria-hidden": "true" }, this.points),
    );
    this.title = html("strong", { class: "gr-large-title" });
    this.accuracy = html("span", { class: "pg-number", "data-readout": `${name}-accuracy` }, "–");
    this.element = html(
      "figure",
      { class: "gr-large", "data-map": name },
      this.picture,
      html(
        "figcaption",
        { class: "gr-large-caption" },
        this.title,
        html("span", { class: "gr-large-detail" }, description),
        html("span", { class: "gr-large-detail" }, "Test accuracy ", this.accuracy),
      ),
    );
  }

  update(frame: GridFrame, probabilities: Uint8Array, title: string, accuracy: number): void {
    const { values } = frame;
    paintProbabilities(this.canvas, probabilities, values.grid, values.classes, this.palette);
    setText(this.title, title);
    setText(this.accuracy, PERCENT(accuracy));
    setAttr(this.picture, "aria-label", `${title}: decision map, test accuracy ${PERCENT(accuracy)}`);
    const key = `${values.settings.dataset}:${values.bounds.join(",")}`;
    if (key !== this.pointsKey) this.placePoints(frame);
    this.pointsKey = key;
  }

  private placePoints({ values, arrays }: GridFrame): void {
    const [x0, x1, y0, y1] = values.bounds;
    // Each cell is drawn as a square centred on its grid point: the picture reaches half a cell further.
    const halfX = (x1 - x0) / (values.grid - 1) / 2;
    const halfY = (y1 - y0) / (values.grid - 1) / 2;
    const [left, right, bottom, top] = [x0 - halfX, x1 + halfX, y0 - halfY, y1 + halfY];
    const dots: SVGCircleElement[] = [];
    for (let i = 0; i < arrays.labels.length; i++) {
      const x = (((arrays.points[2 * i] ?? 0) - left) / (right - left)) * VIEW;
      const y = ((top - (arrays.points[2 * i + 1] ?? 0)) / (top - bottom)) * VIEW;
      const colour = classColour(this.palette, arrays.labels[i] ?? 0);
      dots.push(
        svg("circle", {
          class: "gr-point",
          cx: x.toFixed(1),
          cy: y.toFixed(1),
          r: 8,
          fill: css(colour),
          stroke: css(mix(colour, this.palette.paper, 0.85)),
        }),
      );
    }
    this.points.replaceChildren(...dots);
  }
}
