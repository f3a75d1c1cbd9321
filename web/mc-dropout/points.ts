// The training points for the keyboard and for screen readers, the same edits as clicking the charts:
// an "Add a point" form, "Reset points", and the list of points with a Remove button for each.

import { html, setAttr, setText } from "../shared/dom";
import { type McValues } from "./types";

export interface PointActions {
  add(x: number, y: number): void;
  remove(index: number): void;
  reset(): void;
  /** Something the student typed that is not a number. */
  complain(text: string): void;
}

let uid = 0;

/** A coordinate as the address writes it (2 decimals or 3, no trailing zeros), with a true minus sign. */
export function coordinate(value: number): string {
  return String(value).replace("-", "−");
}

export function pointText([x, y]: [number, number]): string {
  return `x ${coordinate(x)}, y ${coordinate(y)}`;
}

export class PointsEditor {
  readonly element: HTMLElement;
  private readonly x: HTMLInputElement;
  private readonly y: HTMLInputElement;
  private readonly addButton: HTMLButtonElement;
  private readonly resetButton: HTMLButtonElement;
  private readonly count: HTMLElement;
  private readonly summary: HTMLElement;
  private readonly list: HTMLOListElement;
  private listKey = "";
  private removing: number | null = null;

  constructor(private readonly actions: PointActions) {
    const id = `mc-points-${++uid}`;
    const coordinateInput = (name: string): HTMLInputElement =>
      html("input", { type: "number", id: `${id}-${name}`, class: "mc-number-input", inputmode: "decimal" });
    this.x = coordinateInput("x");
    this.y = coordinateInput("y");
    this.addButton = html("button", { type: "submit", class: "pg-button" }, "Add");
    const form = html(
      "form",
      { class: "mc-add", "aria-labelledby": `${id}-add` },
      html("span", { class: "mc-add-title", id: `${id}-add` }, "Add a point"),
      html("label", { class: "mc-coordinate", for: this.x.id }, html("var", {}, "x"), this.x),
      html("label", { class: "mc-coordinate", for: this.y.id }, html("var", {}, "y"), this.y),
      this.addButton,
    );
    // The server checks the ranges and says what is wrong; the browser's own bubbles would say it twice.
    form.noValidate = true;
    this.resetButton = html("button", { type: "button", class: "pg-button" }, "Reset points");
    this.count = html("span", { class: "mc-count", "data-readout": "point-count" }, "–");
    this.summary = html("summary", {}, "The training points");
    this.list = html("ol", { class: "mc-point-list", "data-readout": "points" });
    this.element = html(
      "section",
      { class: "mc-points", "aria-label": "Training points" },
      html(
        "div",
        { class: "mc-points-row" },
        form,
        html("div", { class: "mc-points-actions" }, this.resetButton, this.count),
      ),
      html("details", { class: "mc-point-details" }, this.summary, this.list),
    );

    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const x = this.x.value.trim();
      const y = this.y.value.trim();
      if (x === "" || y === "" || !Number.isFinite(Number(x)) || !Number.isFinite(Number(y))) {
        actions.complain("Write both coordinates of the new point as numbers, x and y.");
        return;
      }
      actions.add(Number(x), Number(y));
    });
    this.resetButton.addEventListener("click", () => actions.reset());
  }

  update(values: McValues | null): void {
    for (const control of this.element.querySelectorAll<HTMLButtonElement | HTMLInputElement>("button, input")) {
      control.disabled = values === null;
    }
    if (!values) return;
    const { points, x_range, y_range, max_points, min_points } = values;
    for (const [input, [low, high]] of [
      [this.x, x_range],
      [this.y, y_range],
    ] as const) {
      setAttr(input, "min", low);
      setAttr(input, "max", high);
      setAttr(input, "step", 0.1);
    }
    const full = points.length >= max_points;
    this.addButton.disabled = full;
    this.addButton.title = full ? `The figure holds at most ${max_points} points: remove one first` : "";
    setText(this.count, `${points.length} points (${min_points} to ${max_points})`);
    setText(this.summary, `The ${points.length} training points, one by one`);

    const key = `${values.settings.points}|${min_points}`;
    if (key === this.listKey) return;
    this.listKey = key;
    const few = points.length <= min_points;
    const buttons = points.map((point, i) => {
      const button = html(
        "button",
        { type: "button", class: "pg-button mc-remove", "aria-label": `Remove point ${i + 1}: ${pointText(point)}` },
        "Remove",
      );
      button.disabled = few;
      if (few) button.title = `The figure needs at least ${min_points} points`;
      button.addEventListener("click", () => {
        this.removing = i;
        this.actions.remove(i);
      });
      return button;
    });
    this.list.replaceChildren(
      ...points.map((point, i) =>
        html(
          "li",
          { class: "mc-point" },
          html("span", { class: "mc-point-text" }, pointText(point)),
          buttons[i] as HTMLElement,
        ),
      ),
    );
    // The removed point's button is gone: the keyboard carries on from the one that took its place.
    if (this.removing !== null) {
      const next = buttons[Math.min(this.removing, buttons.length - 1)];
      this.removing = null;
      if (next && !next.disabled) next.focus();
      else this.summary.focus();
    }
  }
}
