// "The numbers": what the three reliability diagrams show, as tables for readers who cannot see them,
// each number read straight from the frame. First the three ways side by side, then each way's bins.

import { html, setText } from "../shared/dom";
import { scrollBox } from "../shared/scroll-box";
import { binText, firstBin, fixed3, MODE_TEXT, MODES, type ForgottenEvalValues, type Mode } from "./types";

function cell(tag: "td" | "th", text: string, attributes: Record<string, string> = {}): HTMLElement {
  return html(tag, attributes, text);
}

function modeName(mode: Mode, values: ForgottenEvalValues): string {
  // "T = 30" stays on one line when a narrow table wraps the name.
  return mode === "mc" ? `MC dropout (T\u00a0=\u00a0${values.settings.T})` : MODE_TEXT[mode].short;
}

export class Numbers {
  readonly element: HTMLDetailsElement;
  private readonly summaryCaption: HTMLElement;
  private readonly summaryBody: HTMLElement;
  private readonly bins = new Map<Mode, { caption: HTMLElement; body: HTMLElement }>();

  constructor() {
    this.summaryCaption = html("caption", {});
    this.summaryBody = html("tbody", {});
    const table = (readout: string, caption: HTMLElement, head: string[], body: HTMLElement): HTMLElement =>
      scrollBox(
        html(
          "div",
          { class: "pg-table-wrap fe-table-wrap" },
          html(
            "table",
            { class: "fe-table", "data-readout": readout },
            caption,
            html("thead", {}, html("tr", {}, ...head.map((text) => cell("th", text, { scope: "col" })))),
            body,
          ),
        ),
        readout === "numbers" ? "Each mode's calibration" : `Reliability bins: ${readout.slice(5)} mode`,
      );
    const tables = [
      table("numbers", this.summaryCaption, ["Mode", "ECE", "Accuracy", "Mean confidence"], this.summaryBody),
    ];
    for (const mode of MODES) {
      const caption = html("caption", {});
      const body = html("tbody", {});
      this.bins.set(mode, { caption, body });
      tables.push(table(`bins-${mode}`, caption, ["Bin", "Points", "Accuracy", "Mean confidence"], body));
    }
    this.element = html(
      "details",
      { class: "fe-numbers" },
      html("summary", {}, "The numbers"),
      html("div", { class: "fe-tables" }, ...tables),
    );
  }

  update(values: ForgottenEvalValues): void {
    setText(
      this.summaryCaption,
      `The three ways of asking the network, on the same ${values.test_points} test points (draw ` +
        `${values.settings.draw.toLocaleString("en-US")}).`,
    );
    this.summaryBody.replaceChildren(
      ...MODES.map((mode) => {
        const reliability = values.modes[mode];
        return html(
          "tr",
          { "data-mode": mode },
          cell("th", modeName(mode, values), { scope: "row" }),
          cell("td", fixed3(reliability.ece)),
          cell("td", fixed3(reliability.overall_accuracy)),
          cell("td", fixed3(reliability.mean_confidence)),
        );
      }),
    );
    const first = firstBin(values);
    for (const mode of MODES) {
      const table = this.bins.get(mode);
      if (!table) continue;
      const reliability = values.modes[mode];
      setText(table.caption, `${modeName(mode, values)}: the test points in each confidence bin.`);
      const rows: HTMLElement[] = [];
      for (let bin = first; bin < values.bins; bin++) {
        const count = reliability.counts[bin] ?? 0;
        // An empty bin has no accuracy or confidence: the frame's 0 there is a placeholder.
        const shown = (share: number | undefined): string => (count > 0 ? fixed3(share ?? 0) : "–");
        rows.push(
          html(
            "tr",
            { "data-bin": String(bin) },
            cell("th", binText(bin, values.bins), { scope: "row" }),
            cell("td", String(count)),
            cell("td", shown(reliability.accuracy[bin])),
            cell("td", shown(reliability.confidence[bin])),
          ),
        );
      }
      table.body.replaceChildren(...rows);
    }
  }
}
