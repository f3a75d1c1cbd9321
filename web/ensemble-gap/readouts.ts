// The numbers beside the chart, each read straight from the frame: the exact averages over every
// sub-network, test accuracies, the K at which sampling catches up with the eval network, a one-line
// summary of the chart, and the chart's own numbers as a table for readers who cannot see it.

import { html, setText } from "../shared/dom";
import { scrollBox } from "../shared/scroll-box";
import { count, distance, pText, percent, power } from "./format";
import type { GapFrame, GapValues } from "./types";

const NETWORK_NAMES = { "two-layer": "Two hidden layers", "one-layer": "One hidden layer" } as const;

function cell(tag: "td" | "th", text: string, attributes: Record<string, string> = {}): HTMLElement {
  return html(tag, attributes, text);
}

/** What the chart shows, in one or two sentences. */
export function summary(frame: GapFrame): string {
  const { values, arithmetic, geometric } = frame;
  const { settings, exact, max_k } = values;
  const last = frame.k.length - 1;
  const head = `${NETWORK_NAMES[settings.network]}, p = ${pText(settings.p)}.`;
  const from = (curve: Float32Array): string => `from ${distance(curve[0] ?? 0)} to ${distance(curve[last] ?? 0)}`;
  const geometricEnd = exact.geometric_is_eval
    ? `towards the exact value ${distance(exact.geometric_tv)}, which is zero up to rounding`
    : `towards the exact value ${distance(exact.geometric_tv)}, which is not zero`;
  return (
    `${head} As K grows from 1 to ${max_k}, the mean distance of the sampled arithmetic mean from the eval ` +
    `network falls ${from(arithmetic.mean)} and levels off at the exact arithmetic mean's ` +
    `${distance(exact.arithmetic_tv)}; that of the sampled normalised geometric mean falls ` +
    `${from(geometric.mean)}, ${geometricEnd}.`
  );
}

/** When the eval network is exact, and when it is an approximation, by the enumerated numbers. */
export function verdict(values: GapValues): string {
  const { exact, subnetworks } = values;
  const all = `all ${count(subnetworks)} sub-networks`;
  if (exact.geometric_is_eval) {
    return (
      `Weight scaling is exact here: the eval network is the normalised geometric mean of ${all} ` +
      `(largest difference ${distance(exact.geometric_max_difference)}, rounding error). It is not their ` +
      `arithmetic mean (largest difference ${distance(exact.arithmetic_max_difference)}).`
    );
  }
  return (
    `Weight scaling is an approximation here: even the exact normalised geometric mean of ${all} differs ` +
    `from the eval network (largest difference ${distance(exact.geometric_max_difference)}), and so does ` +
    `their arithmetic mean (${distance(exact.arithmetic_max_difference)}).`
  );
}

export function matchingText(values: GapValues): string {
  const { matching_k, accuracy, max_k } = values;
  if (matching_k === null) {
    const last = accuracy.arithmetic[accuracy.arithmetic.length - 1] ?? 0;
    return (
      `Not reached by K = ${max_k}: averaged over the mask streams, the sampled arithmetic mean still gets ` +
      `fewer test points right (${percent(last)} at K = ${max_k}) than the eval network ` +
      `(${percent(accuracy.eval)}); over all sub-networks, the exact arithmetic mean gets ` +
      `${percent(accuracy.exact_arithmetic)}.`
    );
  }
  return `K = ${matching_k}: from there on, the sampled arithmetic mean is at least as accurate as the eval network.`;
}

export class Readouts {
  readonly element: HTMLElement;
  readonly summary: HTMLElement;
  private readonly subnetworks: HTMLElement;
  private readonly exactArithmetic: HTMLElement;
  private readonly exactGeometric: HTMLElement;
  private readonly maxDifference: HTMLElement;
  private readonly verdict: HTMLElement;
  private readonly accuracyCaption: HTMLElement;
  private readonly accuracyHead: HTMLElement;
  private readonly accuracyBody: HTMLElement;
  private readonly evalAccuracy: HTMLElement;
  private readonly matching: HTMLElement;
  private readonly comparison: HTMLElement;
  private readonly numbersCaption: HTMLElement;
  private readonly numbersBody: HTMLElement;
  readonly numbers: HTMLElement;

  constructor() {
    const value = (name: string): HTMLElement => html("span", { class: "eg-value", "data-readout": name }, "–");
    this.summary = html("p", { class: "eg-summary", "data-readout": "summary", "aria-live": "polite" });
    this.subnetworks = value("subnetworks");
    this.exactArithmetic = value("exact-arithmetic");
    this.exactGeometric = value("exact-geometric");
    this.maxDifference = value("max-difference");
    this.verdict = html("p", { class: "eg-verdict", "data-readout": "verdict" });
    const row = (label: Array<Node | string>, shown: HTMLElement): HTMLElement =>
      html("div", { class: "eg-pair" }, html("dt", {}, ...label), html("dd", {}, shown));
    const exact = html(
      "section",
      { class: "eg-exact", "aria-live": "polite", "aria-label": "Exact averages over every sub-network" },
      html("h3", { class: "eg-heading" }, "Exact, over every sub-network"),
      html(
        "dl",
        { class: "eg-pairs" },
        row(["Sub-networks enumerated"], this.subnetworks),
        row(["Arithmetic mean: mean TV from eval"], this.exactArithmetic),
        row(["Normalised geometric mean: mean TV from eval"], this.exactGeometric),
        row(["Largest |normalised geometric mean − eval|"], this.maxDifference),
      ),
      this.verdict,
    );

    this.accuracyCaption = html("caption", {});
    this.accuracyHead = html("tr", {});
    this.accuracyBody = html("tbody", {});
    this.evalAccuracy = value("accuracy-eval");
    this.matching = html("span", { "data-readout": "matching-k" }, "–");
    this.comparison = html("span", { class: "eg-comparison" });
    const accuracy = html(
      "section",
      { class: "eg-accuracy", "aria-label": "Test accuracy" },
      html("h3", { class: "eg-heading" }, "Test accuracy"),
      html("p", { class: "eg-eval-line" }, "Eval network (weight scaling): ", this.evalAccuracy),
      scrollBox(
        html(
          "div",
          { class: "pg-table-wrap eg-table-wrap" },
          html(
            "table",
            { class: "pg-data-table eg-table", "data-readout": "accuracy" },
            this.accuracyCaption,
            html("thead", {}, this.accuracyHead),
            this.accuracyBody,
          ),
        ),
        "Test accuracy by K",
      ),
      html(
        "p",
        { class: "eg-matching", "aria-live": "polite" },
        html("strong", {}, "Smallest K at which sampling is as accurate as the eval network: "),
        this.matching,
        " ",
        this.comparison,
      ),
    );

    this.numbersCaption = html("caption", {});
    this.numbersBody = html("tbody", {});
    this.numbers = html(
      "details",
      { class: "eg-numbers" },
      html("summary", {}, "The numbers"),
      scrollBox(
        html(
          "div",
          { class: "pg-table-wrap eg-table-wrap" },
          html(
            "table",
            { class: "pg-data-table eg-table", "data-readout": "numbers" },
            this.numbersCaption,
            html(
              "thead",
              {},
              html(
                "tr",
                {},
                cell("th", "K", { scope: "col" }),
                cell("th", "Arithmetic mean", { scope: "col" }),
                cell("th", "Normalised geometric mean", { scope: "col" }),
              ),
            ),
            this.numbersBody,
          ),
        ),
        "The chart's numbers",
      ),
    );
    this.element = html("div", { class: "eg-readouts" }, exact, accuracy);
  }

  update(frame: GapFrame): void {
    const { values } = frame;
    const { exact, accuracy, subnetworks, droppable_units, test_points, mask_streams } = values;
    setText(this.subnetworks, `${count(subnetworks)} (${power(2, droppable_units)})`);
    setText(this.exactArithmetic, distance(exact.arithmetic_tv));
    setText(this.exactGeometric, distance(exact.geometric_tv));
    setText(this.maxDifference, distance(exact.geometric_max_difference));
    setText(this.verdict, verdict(values));
    setText(this.summary, summary(frame));

    setText(this.evalAccuracy, percent(accuracy.eval));
    setText(
      this.accuracyCaption,
      `Accuracy on ${test_points} test points of the arithmetic and the normalised geometric mean of K ` +
        `sampled sub-networks (mean over ${mask_streams} mask streams), and of ` +
        `all ${count(subnetworks)}.`,
    );
    this.accuracyHead.replaceChildren(
      cell("th", "K", { scope: "col" }),
      ...accuracy.k.map((k) => cell("th", String(k), { scope: "col" })),
      cell("th", "Exact", { scope: "col" }),
    );
    const accuracyRow = (name: string, sampled: number[], exactValue: number, key: string): HTMLElement =>
      html(
        "tr",
        { "data-mean": key },
        cell("th", name, { scope: "row" }),
        ...sampled.map((v) => cell("td", percent(v))),
        cell("td", percent(exactValue)),
      );
    this.accuracyBody.replaceChildren(
      accuracyRow("Arithmetic", accuracy.arithmetic, accuracy.exact_arithmetic, "arithmetic"),
      accuracyRow("Geometric", accuracy.geometric, accuracy.exact_geometric, "geometric"),
    );
    setText(this.matching, matchingText(values));
    setText(
      this.comparison,
      "Srivastava et al. (2014) found about k = 50 on MNIST, and Monte-Carlo averaging slightly better beyond " +
        "it, within one standard deviation; this is a different dataset and a much smaller " +
        `network, and one of the ${test_points} test points is ${percent(1 / test_points)}.`,
    );

    setText(
      this.numbersCaption,
      `Mean total-variation distance ½Σ|P − Q| from the eval network, over ${test_points} test points: ` +
        `mean of ${mask_streams} mask streams, with the lowest and highest stream in brackets.`,
    );
    const band = (curve: GapFrame["arithmetic"], i: number): HTMLElement =>
      html(
        "td",
        {},
        distance(curve.mean[i] ?? 0),
        " ",
        html("span", { class: "eg-range" }, `(${distance(curve.low[i] ?? 0)} to ${distance(curve.high[i] ?? 0)})`),
      );
    const rows = Array.from(frame.k, (k, i) =>
      html("tr", {}, cell("th", String(k), { scope: "row" }), band(frame.arithmetic, i), band(frame.geometric, i)),
    );
    rows.push(
      html(
        "tr",
        { class: "eg-exact-row" },
        cell("th", `Exact (all ${count(subnetworks)})`, { scope: "row" }),
        cell("td", distance(exact.arithmetic_tv)),
        cell("td", distance(exact.geometric_tv)),
      ),
    );
    this.numbersBody.replaceChildren(...rows);
  }
}
