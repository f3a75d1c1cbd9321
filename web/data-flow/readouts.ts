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
    // At p = 1 every sub-network outputs the bias: a limit of the formulas, not a scaling error.
    const allDropped = values.settings.p === 1;
    const wrong = !allDropped && Math.abs(values.exact_gap) > 1e-9;
    this.gapRow.classList.toggle("is-wrong", wrong);
    this.gapRow.classList.toggle("is-limit", allDropped);
    this.gapRow.dataset.scaling = values.settings.scaling;
    let note = "→ settles at 0: the expectation is the eval output";
    if (allDropped) note = `→ settles at ${signed(values.exact_gap, DIGITS)}: every sub-network outputs the bias alone`;
    else if (wrong) note = `→ settles at ${signed(values.exact_gap, DIGITS)}, not 0`;
    setText(this.gapNote, note);
    setText(this.explanation, explain(values));
  }
}

/** What the chosen scaling does to the expectation, in the numbers on screen; never 1/0. */
export function explain(values: DataFlowValues): string {
  const { p, scaling } = values.settings;
  const q = fixed(1 - p, 2);
  const bias = fixed(values.output_bias, 2);
  const evalOutput = fixed(values.eval_output, 2);
  const exact =
    "The exact expectation is the arithmetic mean of the output over all 16 masks, each weighted by its probability";
  if (p === 1) {
    // Every mask drops every unit: say what happens, since the identities for p < 1 no longer apply.
    const limit = `At p = 1 every mask drops every hidden unit, so every sub-network outputs the bias b₂ = ${bias}`;
    if (scaling === "inverted") {
      return (
        `${limit}: the inverted scale is 0 here (as in PyTorch), E[h̃] = 0 rather than h, and the expectation ` +
        `is not the eval output, ${evalOutput}, which uses every unit. E[h̃] = h holds for 0 ≤ p < 1 only.`
      );
    }
    if (scaling === "classic") {
      return `${limit}, and eval multiplies every unit by 1 − p = 0, so it outputs ${bias} too.`;
    }
    return `${limit}, while eval, unscaled, uses every unit and outputs ${evalOutput}.`;
  }
  if (scaling === "inverted") {
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
  // E[y] − b₂ = (1 − p)·(y_eval − b₂): the hidden part shrinks towards the bias, so the sign of the hidden
  // part decides whether the mean lands below or above the eval output.
  const part = values.hidden_part;
  const side = values.exact_gap < 0 ? "below" : "above";
  const why = part > 0 ? "the hidden part is positive here" : "the hidden part is negative here";
  return (
    "No scaling (the bug): a kept unit passes exactly h, so the all-kept mask gives exactly the eval output, " +
    `but on average each hidden value passes only (1 − p)·h = ${q}·h: eval's h is 1/(1 − p) = ` +
    `${fixed(1 / (1 - p), 2)} times its train-time mean. The hidden part of the output, eval − b₂ = ` +
    `${fixed(part, 2)}, shrinks on average by ${q} towards the bias b₂ = ${bias}, so the running mean settles ` +
    `on the exact expectation, ${fixed(Math.abs(values.exact_gap), 2)} ${side} the eval output: ${side}, ` +
    `because ${why}.`
  );
}
