// The training points for the keyboard and for screen readers, the same edits as clicking the charts:
// an "Add a point" form, "Reset points", and the list of points with a Remove button for each.

import { CheckedNumber } from "../shared/checked-input";
import { html, setText } from "../shared/dom";
import { type McValues } from "./types";

export interface PointActions {
  add(x: number, y: number): void;
  remove(index: number): void;
  reset(): void;
}

let uid = 0;

// Where a point may be (figures/mc_dropout.py X_RANGE, Y_RANGE); every frame says it again.
const X_RANGE = [-4, 4] as const;
const Y_RANGE = [-3, 3] as const;

/** A coordinate as the address writes it (2 decimals or 3, no trailing zeros), with a true minus sign. */
export function coordinate(value: number): string {
  return String(value).replace("-", "−");
}

export function pointText([x, y]: [number, number]): string {
  return `x ${coordinate(x)}, y ${coordinate(y)}`;
}

export class PointsEditor {
  readonly element: HTMLElement;
  private readonly x: CheckedNumber;
  private readonly y: CheckedNumber;
  private readonly addButton: HTMLButtonElement;
  private readonly resetButton: HTMLButtonElement;
  private readonly count: HTMLElement;
  private readonly summary: HTMLElement;
  private readonly list: HTMLOListElement;
  private listKey = "";
  private removing: number | null = null;

  constructor(private readonly actions: PointActions) {
    const id = `mc-points-${++uid}`;
    // Checked when the point is added: a box is a coordinate of the new point, not a setting in force.
    const coordinateBox = (name: string, [min, max]: readonly [number, number]): CheckedNumber =>
      new CheckedNumber(
        html("input", { type: "number", id: `${id}-${name}`, class: "mc-number-input", inputmode: "decimal" }),
        { name, min, max, step: 0.1 },
      );
    this.x = coordinateBox("x", X_RANGE);
    this.y = coordinateBox("y", Y_RANGE);
    this.addButton = html("button", { type: "submit", class: "pg-button" }, "Add");
    const form = html(
      "form",
      { class: "mc-add", "aria-labelledby": `${id}-add` },
      html("span", { class: "mc-add-title", id: `${id}-add` }, "Add a point"),
      html("label", { class: "mc-coordinate", for: this.x.input.id }, html("var", {}, "x"), this.x.input),
      html("label", { class: "mc-coordinate", for: this.y.input.id }, html("var", {}, "y"), this.y.input),
      this.addButton,
      this.x.message,
      this.y.message,
    );
    // Each box says what is wrong next to itself; the browser's own bubbles would say it twice.
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
      // Both are checked, so that every problem is said at once.
      const x = this.x.take();
      const y = this.y.take();
      if (x === null || y === null) return;
      // What the boxes hold now is what a later refusal puts back.
      this.x.show(this.x.input.value);
      this.y.show(this.y.input.value);
      actions.add(x, y);
    });
    this.resetButton.addEventListener("click", () => actions.reset());
  }

  update(values: McValues | null): void {
    for (const control of this.element.querySelectorAll<HTMLButtonElement | HTMLInputElement>("button, input")) {
      control.disabled = values === null;
    }
    if (!values) return;
    const { points, x_range, y_range, max_points, min_points } = values;
    this.x.limit(...x_range);
    this.y.limit(...y_range);
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
