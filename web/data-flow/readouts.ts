// The numbers beside the drawing: this mask's output, the running mean over the masks drawn so far, the
// eval output and the exact expectation over all 16 masks, and the gap between the running mean and
// eval, with a sentence on what the chosen scaling does. All of it straight from the frame.

import { html, setText } from "../shared/dom";
import { COUNT_FORMAT, fixed, signed, type DataFlowValues } from "./types";

const DIGITS = 4;

function row(label: Array<Node | string>, ...value: Array<Node | string>): HTMLElement {
  return html("div", { class: "df-readout" }, html("dt", {}, ...label), html("dd", {}, ...value));
}

function number(name: string): HTMLElement {
  return html("span", { class: "df-value", "data-readout": name }, "–");
}

export class Readouts {
  readonly element: HTMLElement;
  private readonly output = number("output");
  private readonly runningMean = number("running-mean");
  private readonly draws = html("span", { class: "df-count", "data-readout": "draws" }, "–");
  private readonly masksWord = html("span", {}, "masks");
  private readonly standardError = html("span", { class: "df-spread", "data-readout": "standard-error" });
  private readonly evalOutput = number("eval-output");
  private readonly exactMean = number("exact-mean");
  private readonly nMasks = html("span", {}, "16");
  private readonly gap = number("gap");
  private readonly gapRow: HTMLElement;
  private readonly gapNote = html("span", { class: "df-gap-note", "data-readout": "gap-note" });
  private readonly explanation = html("p", { class: "df-explanation", "data-readout": "explanation" });

  constructor() {
    this.gapRow = row(["Gap: running mean − eval"], this.gap, " ", this.gapNote);
    this.gapRow.classList.add("df-gap");
    this.element = html(
      "div",
      { class: "df-readouts" },
      html(
        "dl",
        { class: "df-readout-list", "aria-live": "polite", "aria-label": "Readouts" },
        row(["Output for this mask"], this.output),
        row(
          ["Running mean"],
          this.runningMean,
          " ",
          html("span", { class: "df-over" }, "over ", this.draws, " ", this.masksWord),
          " ",
          this.standardError,
        ),
        row(["Eval output"], this.evalOutput),
        row(["Exact expectation over all ", this.nMasks, " masks"], this.exactMean),
        this.gapRow,
      ),
      this.explanation,
    );
  }

  update(values: DataFlowValues): void {
    setText(this.output, fixed(values.output, DIGITS));
    setText(this.runningMean, fixed(values.running_mean, DIGITS));
    setText(this.draws, COUNT_FORMAT.format(values.draws));
    setText(this.masksWord, values.draws === 1 ? "mask" : "masks");
    setText(
      this.standardError,
      values.standard_error === null ? "" : `± ${fixed(values.standard_error, DIGITS)} (standard error)`,
    );
    setText(this.evalOutput, fixed(values.eval_output, DIGITS));
    setText(this.exactMean, fixed(values.exact_mean, DIGITS));
    setText(this.nMasks, String(values.n_masks));
    setText(this.gap, signed(values.gap, DIGITS));
    const wrong = Math.abs(values.exact_gap) > 1e-9;
    this.gapRow.classList.toggle("is-wrong", wrong);
    this.gapRow.dataset.scaling = values.settings.scaling;
    setText(
      this.gapNote,
      wrong
        ? `→ settles at ${signed(values.exact_gap, DIGITS)}, not 0`
        : "→ settles at 0: the expectation is the eval output",
    );
    setText(this.explanation, explain(values));
  }
}

/** What the chosen scaling does to the expectation, in the numbers on screen; never 1/0. */
export function explain(values: DataFlowValues): string {
  const { p, scaling } = values.settings;
  const q = fixed(1 - p, 2);
  const exact = "The exact expectation is the arithmetic mean of the output over all 16 masks, each weighted by its probability";
  if (scaling === "inverted") {
    if (p === 1) {
      return (
        "Inverted scaling at p = 1: every unit is dropped and the scale is 0 (as in PyTorch), so the " +
        "train-time output is the output bias alone, while eval passes h."
      );
    }
    return (
      `Inverted scaling: training multiplies each kept unit by 1/(1 − p) = ${fixed(1 / (1 - p), 2)}, so ` +
      `E[h̃] = h, and eval passes h unchanged. ${exact}; the output is linear in h̃, so it equals the eval ` +
      "output exactly."
    );
  }
  if (scaling === "classic") {
    return (
      `Classic scaling: training passes kept units unscaled, so E[h̃] = (1 − p)·h = ${q}·h; eval multiplies ` +
      `every unit by 1 − p = ${q} to match. ${exact}; it equals the eval output, but the eval network is no ` +
      "longer the identity."
    );
  }
  if (p === 0) return "No scaling, at p = 0: nothing is dropped, so training and eval agree. Raise p to see the bug.";
  // At p = 1 the ratio 1/(1 − p) has no value: say what happens instead.
  const ratio = p === 1 ? ": training passes nothing at all" : `, so eval is 1/(1 − p) = ${fixed(1 / (1 - p), 2)} times larger`;
  return (
    `No scaling (the bug): the train-time mean of each hidden value is (1 − p)·h = ${q}·h, while eval ` +
    `gives h${ratio}. The running mean settles on the exact expectation, ` +
    `${fixed(Math.abs(values.exact_gap), 2)} ${values.exact_gap < 0 ? "below" : "above"} the eval output.`
  );
}
