// What each network has learnt, side by side: on the sine, its fitted curve (eval mode) over the training
// points, the held-out points and the true function; on the moons, its decision map with the points.

import { html, setAttr, setText, svg } from "../shared/dom";
import { classColour, css, mix, type Palette, type RGB } from "../shared/palette";
import { paintProbabilities } from "../shared/probability-map";
import { loss, type OverfittingFrame } from "./types";

const W = 320;
const H = 220;
const PAD = 10;
const X_MIN = -Math.PI;
const X_MAX = Math.PI;
const Y_MIN = -2.2;
const Y_MAX = 2.2;
const MAP_VIEW = 320;

const sx = (x: number): number => PAD + ((x - X_MIN) / (X_MAX - X_MIN)) * (W - 2 * PAD);
const sy = (y: number): number => PAD + ((Y_MAX - Math.min(Y_MAX, Math.max(Y_MIN, y))) / (Y_MAX - Y_MIN)) * (H - 2 * PAD);

function path(xs: ArrayLike<number>, ys: ArrayLike<number>): string {
  let d = "";
  for (let i = 0; i < xs.length; i++) d += `${i ? "L" : "M"}${sx(xs[i] ?? 0).toFixed(1)},${sy(ys[i] ?? 0).toFixed(1)}`;
  return d;
}

export class Panel {
  readonly element: HTMLElement;
  private readonly picture: HTMLElement;
  private readonly title: HTMLElement;
  private readonly detail: HTMLElement;
  // sine
  private readonly plot: SVGSVGElement;
  private readonly truth: SVGPathElement;
  private readonly fit: SVGPathElement;
  private readonly testDots: SVGGElement;
  private readonly trainDots: SVGGElement;
  // moons
  private readonly mapBox: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly mapDots: SVGGElement;
  private mapKey = "";
  private pointsKey = "";

  constructor(
    private readonly palette: Palette,
    private readonly key: "none" | "dropout",
    private readonly colour: RGB,
  ) {
    this.truth = svg("path", { class: "of-truth", fill: "none" });
    this.fit = svg("path", { class: "of-fit", fill: "none", stroke: css(colour) });
    this.testDots = svg("g", { class: "of-test-points" });
    this.trainDots = svg("g", { class: "of-train-points" });
    this.plot = svg(
      "svg",
      { class: "of-plot", viewBox: `0 0 ${W} ${H}`, "aria-hidden": "true" },
      svg("line", { class: "of-axis", x1: PAD, x2: W - PAD, y1: sy(0), y2: sy(0) }),
      this.testDots,
      this.truth,
      this.fit,
      this.trainDots,
    );
    this.canvas = html("canvas", { class: "of-canvas", width: 40, height: 40, "aria-hidden": "true" });
    this.mapDots = svg("g", { class: "of-map-points" });
    this.mapBox = html(
      "div",
      { class: "of-map" },
      this.canvas,
      svg("svg", { class: "of-overlay", viewBox: `0 0 ${MAP_VIEW} ${MAP_VIEW}`, "aria-hidden": "true" }, this.mapDots),
    );
    this.picture = html("div", { class: "of-picture", role: "img" }, this.plot, this.mapBox);
    this.title = html("strong", { class: "of-panel-title" });
    this.detail = html("span", { class: "of-panel-detail", "data-readout": `${key}-losses` });
    this.element = html(
      "figure",
      { class: "of-panel", "data-network": key },
      html("figcaption", { class: "of-panel-caption" }, html("span", { class: "of-swatch", "aria-hidden": "true" }), this.title),
      this.picture,
      this.detail,
    );
    this.element.style.setProperty("--network", css(colour));
  }

  update(frame: OverfittingFrame): void {
    const { values } = frame;
    const network = values.networks[this.key === "none" ? 0 : 1];
    const title = this.key === "none" ? "Without dropout (p = 0)" : `With dropout (p = ${network.p.toFixed(2)})`;
    setText(this.title, title);
    setText(
      this.detail,
      `train ${loss(network.train_loss)} · test ${loss(network.test_loss)} (${values.loss_name})`,
    );
    const sine = frame.fit !== null;
    this.plot.style.display = sine ? "" : "none";
    this.mapBox.style.display = sine ? "none" : "";
    if (frame.fit) this.drawFit(frame, frame.fit);
    else if (frame.maps) this.drawMap(frame, this.key === "none" ? frame.maps.none : frame.maps.dropout);
    const what = sine ? "fitted curve over the training points" : "decision map with the training points";
    setAttr(
      this.picture,
      "aria-label",
      `${title}: ${what} after ${values.step} steps; train loss ${loss(network.train_loss)}, test loss ${loss(network.test_loss)}`,
    );
  }

  private drawFit(frame: OverfittingFrame, fit: NonNullable<OverfittingFrame["fit"]>): void {
    this.truth.setAttribute("d", path(fit.x, fit.truth));
    this.fit.setAttribute("d", path(fit.x, this.key === "none" ? fit.none : fit.dropout));
    const key = `sine:${frame.values.settings.seed}:${frame.values.settings.points}:${frame.values.settings.noise}`;
    if (key === this.pointsKey) return;
    this.pointsKey = key;
    const dots = (xs: Float32Array, ys: Float32Array, r: number, cls: string): SVGCircleElement[] =>
      Array.from(xs, (x, i) => svg("circle", { class: cls, cx: sx(x).toFixed(1), cy: sy(ys[i] ?? 0).toFixed(1), r }));
    this.testDots.replaceChildren(...dots(frame.xTest, frame.yTest, 2, "of-test-point"));
    this.trainDots.replaceChildren(...dots(frame.xTrain, frame.yTrain, 3.6, "of-train-point"));
  }

  private drawMap(frame: OverfittingFrame, probabilities: Uint8Array): void {
    const { values } = frame;
    const grid = values.grid ?? 40;
    // While Play runs the server sends new maps about 15 times a second, frames twice as often: a map
    // already painted is not painted again (nor the points over it rasterised again).
    const mapKey = `${values.settings.seed}:${values.settings.points}:${values.settings.noise}:${values.settings.p}:${values.settings.width}:${values.map_step}`;
    if (mapKey !== this.mapKey) {
      this.mapKey = mapKey;
      paintProbabilities(this.canvas, probabilities, grid, 2, this.palette);
    }
    const bounds = values.bounds;
    if (!bounds) return;
    const key = `moons:${values.settings.seed}:${values.settings.points}:${values.settings.noise}`;
    if (key === this.pointsKey) return;
    this.pointsKey = key;
    const [x0, x1, y0, y1] = bounds;
    const halfX = (x1 - x0) / (grid - 1) / 2;
    const halfY = (y1 - y0) / (grid - 1) / 2;
    const [left, right, bottom, top] = [x0 - halfX, x1 + halfX, y0 - halfY, y1 + halfY];
    const place = (xy: Float32Array, labels: Float32Array, r: number, faint: boolean): SVGCircleElement[] =>
      Array.from(labels, (label, i) => {
        const colour = classColour(this.palette, label);
        return svg("circle", {
          class: faint ? "of-map-test" : "of-map-train",
          cx: ((((xy[2 * i] ?? 0) - left) / (right - left)) * MAP_VIEW).toFixed(1),
          cy: (((top - (xy[2 * i + 1] ?? 0)) / (top - bottom)) * MAP_VIEW).toFixed(1),
          r,
          fill: css(faint ? mix(colour, this.palette.paper, 0.55) : colour),
          stroke: css(faint ? mix(colour, this.palette.paper, 0.8) : this.palette.paper),
        });
      });
    this.mapDots.replaceChildren(...place(frame.xTest, frame.yTest, 3, true), ...place(frame.xTrain, frame.yTrain, 6.5, false));
  }
}
