// The words and numbers around the chart, each read straight from the frame: a caption that says what
// is plotted, a summary that stands in for the chart for anyone who cannot see it, and the chart's own
// numbers as a table.

import { html, setAttr, setText } from "../shared/dom";
import { scrollBox } from "../shared/scroll-box";
import { count, listText, networkName, percent, pText } from "./format";
import type { CoadFrame, CoadValues } from "./types";

function cell(tag: "td" | "th", text: string, attributes: Record<string, string | number> = {}): HTMLElement {
  return html(tag, attributes, text);
}

/** Exactly what the chart plots, and how the numbers were made. */
export function captionText(values: CoadValues): string {
  const { hidden, units, train_steps, ps, train_accuracy, test_points, choices, settings } = values;
  return (
    `Two networks with hidden layers of ${listText(hidden)} units (N = ${units}), trained for ` +
    `${count(train_steps)} steps on the same ${settings.dataset} data with the same minibatches, one with ` +
    `p = ${pText(ps[0])} and one with p = ${pText(ps[1])} (training accuracy ${percent(train_accuracy[0])} ` +
    `and ${percent(train_accuracy[1])}). At test time k of the ${units} hidden units are removed: their ` +
    `outputs are set to 0 and nothing is rescaled. Lines: mean test accuracy on ${test_points} test points ` +
    `over ${choices} random sets of k units, the same sets for both networks; bands: 10th to 90th percentile.`
  );
}

/** The chart in words: what it plots, and both networks with every unit and with half of them removed. */
export function summaryText(values: CoadValues): string {
  const { units, test_points, ps, full_accuracy, half, choices } = values;
  return (
    `Test accuracy on ${test_points} test points against k, the number of hidden units removed at test ` +
    `time, from 0 to ${units}. With all ${units} units in place, the network trained with p = ${pText(ps[0])} ` +
    `classifies ${percent(full_accuracy[0])} of them correctly and the one trained with p = ${pText(ps[1])} ` +
    `${percent(full_accuracy[1])}; with ${half.k} of the ${units} removed, ${percent(half.accuracy[0])} and ` +
    `${percent(half.accuracy[1])} (mean over ${choices} random sets).`
  );
}

export class Readouts {
  readonly caption: HTMLElement;
  readonly summary: HTMLElement;
  readonly numbers: HTMLElement;
  private readonly numbersCaption: HTMLElement;
  private readonly groups: [HTMLElement, HTMLElement];
  private readonly body: HTMLElement;
  private rows: HTMLElement[] = [];
  private current: HTMLElement | null = null;

  constructor() {
    this.caption = html("p", { class: "coad-caption", "data-readout": "caption" });
    this.summary = html("p", { class: "coad-summary", "data-readout": "summary", "aria-live": "polite" });
    this.numbersCaption = html("caption", {});
    this.groups = [
      cell("th", "p = 0 (no dropout)", { scope: "colgroup", colspan: 3 }),
      cell("th", "p = 0.5", { scope: "colgroup", colspan: 3 }),
    ];
    const stats = (): HTMLElement[] => [
      cell("th", "Mean", { scope: "col" }),
      cell("th", "10th", { scope: "col" }),
      cell("th", "90th", { scope: "col" }),
    ];
    this.body = html("tbody", {});
    this.numbers = html(
      "details",
      { class: "coad-numbers" },
      html("summary", {}, "The numbers"),
      scrollBox(
        html(
          "div",
          { class: "pg-table-wrap coad-table-wrap" },
          html(
            "table",
            { class: "pg-data-table coad-table", "data-readout": "numbers" },
            this.numbersCaption,
            html("colgroup", {}, html("col", {})),
            html("colgroup", { span: 3 }),
            html("colgroup", { span: 3 }),
            html(
              "thead",
              {},
              html("tr", {}, cell("th", "k", { scope: "col", rowspan: 2 }), ...this.groups),
              html("tr", { class: "coad-stats" }, ...stats(), ...stats()),
            ),
            this.body,
          ),
        ),
        "Test accuracy as units are removed, in numbers",
      ),
    );
  }

  update(frame: CoadFrame): void {
    const { values, curves } = frame;
    setText(this.caption, captionText(values));
    setText(this.summary, summaryText(values));
    values.ps.forEach((p, i) => {
      const group = this.groups[i];
      if (group) setText(group, networkName(p).replace(/^trained with /, ""));
    });
    setText(
      this.numbersCaption,
      `Test accuracy on ${values.test_points} test points with k of the ${values.units} hidden units removed: ` +
        `mean over ${values.choices} random sets of k units, and the 10th and 90th percentile.`,
    );
    this.rows = Array.from(frame.k, (k, i) =>
      html(
        "tr",
        { "data-k": k },
        cell("th", String(k), { scope: "row" }),
        ...curves.flatMap((c) => [
          cell("td", percent(c.mean[i] ?? 0)),
          cell("td", percent(c.low[i] ?? 0)),
          cell("td", percent(c.high[i] ?? 0)),
        ]),
      ),
    );
    this.body.replaceChildren(...this.rows);
    this.current = null;
  }

  /** The row of the slider's k stands out. */
  mark(k: number): void {
    const row = this.rows.find((r) => r.dataset.k === String(k)) ?? null;
    if (row === this.current) return;
    this.current?.classList.remove("is-current");
    this.current?.removeAttribute("aria-current");
    row?.classList.add("is-current");
    if (row) setAttr(row, "aria-current", "true");
    this.current = row;
  }
}
