// Where the inputs A–D lie: the eval network's predictions over the plane, the test points on top of
// them, and the four inputs as labelled rings.

import { html, setAttr, setText, svg } from "../shared/dom";
import { classColour, css, mix, type Palette } from "../shared/palette";
import { paintProbabilities } from "../shared/probability-map";
import { coordinate, type ForgottenEvalFrame } from "./types";

const VIEW = 1000; // the overlay's coordinates: the plane maps onto 0..VIEW on both axes
const LABEL_OFFSET = 34;

export class ProbeMap {
  readonly element: HTMLElement;
  private readonly picture: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly points: SVGGElement;
  private readonly probes: SVGGElement;
  private readonly testPoints: HTMLElement;
  private pointsKey = "";
  private probesKey = "";

  constructor(private readonly palette: Palette) {
    this.canvas = html("canvas", { class: "fe-canvas", width: 40, height: 40, "aria-hidden": "true" });
    this.points = svg("g", { class: "fe-points" });
    this.probes = svg("g", { class: "fe-probe-marks" });
    this.picture = html(
      "div",
      { class: "fe-map", role: "img", "data-readout": "map" },
      this.canvas,
      svg(
        "svg",
        { class: "fe-overlay", viewBox: `0 0 ${VIEW} ${VIEW}`, "aria-hidden": "true" },
        this.points,
        this.probes,
      ),
    );
    this.testPoints = html("span", { class: "pg-number" }, "–");
    this.element = html(
      "figure",
      { class: "fe-map-figure" },
      this.picture,
      html(
        "figcaption",
        { class: "fe-map-caption" },
        "Eval mode's prediction over the plane, the ",
        this.testPoints,
        " test points, and the inputs A–D.",
      ),
    );
  }

  update(frame: ForgottenEvalFrame): void {
    const { values } = frame;
    paintProbabilities(this.canvas, frame.evalMap, values.grid, 2, this.palette);
    setText(this.testPoints, String(values.test_points));
    const where = values.probes.map((p) => `${p.name} at (${coordinate(p.point[0])}, ${coordinate(p.point[1])})`);
    const [x0, x1, y0, y1] = values.bounds;
    setAttr(
      this.picture,
      "aria-label",
      `Map of the eval network's prediction, x from ${coordinate(x0)} to ${coordinate(x1)}, ` +
        `y from ${coordinate(y0)} to ${coordinate(y1)}, with the ${values.test_points} test points. ` +
        `Inputs: ${where.join("; ")}.`,
    );
    const key = values.bounds.join(",");
    if (key !== this.pointsKey) this.placePoints(frame);
    this.pointsKey = key;
    const probesKey = `${key}:${values.probes.map((p) => `${p.name}${p.point}`).join(";")}`;
    if (probesKey !== this.probesKey) this.placeProbes(frame);
    this.probesKey = probesKey;
  }

  /** Plane coordinates to the overlay's: each cell is drawn centred on its grid point, half a cell wider. */
  private project({ values }: ForgottenEvalFrame): (x: number, y: number) => [number, number] {
    const [x0, x1, y0, y1] = values.bounds;
    const halfX = (x1 - x0) / (values.grid - 1) / 2;
    const halfY = (y1 - y0) / (values.grid - 1) / 2;
    const [left, right, bottom, top] = [x0 - halfX, x1 + halfX, y0 - halfY, y1 + halfY];
    return (x, y) => [((x - left) / (right - left)) * VIEW, ((top - y) / (top - bottom)) * VIEW];
  }

  private placePoints(frame: ForgottenEvalFrame): void {
    const at = this.project(frame);
    const dots: SVGCircleElement[] = [];
    for (let i = 0; i < frame.labels.length; i++) {
      const [x, y] = at(frame.points[2 * i] ?? 0, frame.points[2 * i + 1] ?? 0);
      const colour = classColour(this.palette, frame.labels[i] ?? 0);
      dots.push(
        svg("circle", {
          class: "fe-point",
          cx: x.toFixed(1),
          cy: y.toFixed(1),
          r: 9,
          fill: css(colour),
          stroke: css(mix(colour, this.palette.paper, 0.85)),
        }),
      );
    }
    this.points.replaceChildren(...dots);
  }

  private placeProbes(frame: ForgottenEvalFrame): void {
    const at = this.project(frame);
    const marks = frame.values.probes.map((probe) => {
      const [x, y] = at(probe.point[0], probe.point[1]);
      // The letter sits to the upper right of its ring, or to the left near the right edge.
      const right = x < VIEW - 120;
      const below = y < 90;
      return svg(
        "g",
        { class: "fe-probe-mark", "data-probe": probe.name },
        svg("circle", { class: "fe-probe-halo", cx: x, cy: y, r: 24 }),
        svg("circle", { class: "fe-probe-ring", cx: x, cy: y, r: 24 }),
        svg(
          "text",
          {
            class: "fe-probe-label",
            x: x + (right ? LABEL_OFFSET : -LABEL_OFFSET),
            y: y + (below ? LABEL_OFFSET + 36 : -LABEL_OFFSET + 8),
            "text-anchor": right ? "start" : "end",
          },
          probe.name,
        ),
      );
    });
    this.probes.replaceChildren(...marks);
  }
}
