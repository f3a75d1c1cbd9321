// One row per hidden unit: h, the mask and h̃ now, then the running mean and variance of h̃ over the
// masks drawn so far beside their exact values. On a narrow screen each row becomes a card of named
// values (data-flow.css), so that nothing scrolls sideways; should it still be too wide (very large
// text), it scrolls inside its own box, which the keyboard can then reach.

import { html, setText } from "../shared/dom";
import { scrollBox } from "../shared/scroll-box";
import { COUNT_FORMAT, fixed, type DataFlowValues } from "./types";

const DIGITS = 4;
const COLUMNS = [
  ["h", "h"],
  ["mask", "mask"],
  ["passed", "h̃ now"],
  ["mean", "mean of h̃"],
  ["mean-exact", "E[h̃]"],
  ["variance", "variance of h̃"],
  ["variance-exact", "Var[h̃]"],
] as const;

type Column = (typeof COLUMNS)[number][0];

let uid = 0;

export class UnitTable {
  readonly element: HTMLElement;
  private readonly caption: HTMLElement;
  private readonly rows: Array<Map<Column, HTMLElement>> = [];

  constructor(units = 4) {
    const head = html(
      "tr",
      {},
      html("th", { scope: "col" }, "unit"),
      ...COLUMNS.map(([name, label]) => html("th", { scope: "col", "data-column": name }, label)),
    );
    const body = html("tbody", {});
    for (let j = 0; j < units; j++) {
      const cells = new Map<Column, HTMLElement>();
      const tr = html("tr", { "data-unit": j + 1 }, html("th", { scope: "row" }, `h${"₁₂₃₄"[j] ?? j + 1}`));
      for (const [name, label] of COLUMNS) {
        // The card layout writes each value's name beside it, from data-label.
        const cell = html("td", { "data-cell": name, "data-label": label }, "–");
        cells.set(name, cell);
        tr.append(cell);
      }
      this.rows.push(cells);
      body.append(tr);
    }
    // The caption stays outside the box that scrolls, so that it wraps on a phone.
    const captionId = `df-units-${++uid}`;
    this.caption = html("p", { class: "df-table-caption", id: captionId });
    const table = html("table", { class: "df-table", "aria-describedby": captionId }, html("thead", {}, head), body);
    this.element = html(
      "div",
      { class: "df-units" },
      this.caption,
      scrollBox(html("div", { class: "df-table-box" }, table), "Hidden units, one row each"),
    );
  }

  update(values: DataFlowValues): void {
    const { p, scaling } = values.settings;
    const exact =
      scaling === "inverted"
        ? p === 1
          ? "At p = 1 every unit is dropped: E[h̃] = 0, not h, and Var[h̃] = 0."
          : "Exact, for inverted scaling: E[h̃] = h and Var[h̃] = h²·p/(1 − p)."
        : `Exact, for ${scaling} scaling: E[h̃] = (1 − p)·h and Var[h̃] = h²·p·(1 − p).`;
    const masks = values.draws === 1 ? "the 1 mask" : `the ${COUNT_FORMAT.format(values.draws)} masks`;
    setText(
      this.caption,
      `Each hidden unit over ${masks} drawn so far (sample variance, divided by n − 1). ${exact}`,
    );
    this.rows.forEach((cells, j) => {
      const show = (name: Column, text: string): void => {
        const cell = cells.get(name);
        if (cell) setText(cell, text);
      };
      show("h", fixed(values.hidden[j] ?? 0, DIGITS));
      show("mask", values.mask[j] ? "kept" : "dropped");
      show("passed", fixed(values.passed[j] ?? 0, DIGITS));
      show("mean", fixed(values.unit_mean[j] ?? 0, DIGITS));
      show("mean-exact", fixed(values.unit_mean_exact[j] ?? 0, DIGITS));
      show("variance", values.unit_variance ? fixed(values.unit_variance[j] ?? 0, DIGITS) : "–");
      show("variance-exact", fixed(values.unit_variance_exact[j] ?? 0, DIGITS));
      cells.get("mask")?.parentElement?.classList.toggle("is-dropped", !values.mask[j]);
    });
  }
}
