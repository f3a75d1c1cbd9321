// The numbers beside the curves, read straight from the frame: each network's train and test loss, the
// gap between them, its best test loss and the step it came at, a sentence saying what the curves show
// so far, and "The numbers" table for screen readers.

import { html, setText } from "../shared/dom";
import { count, loss, type NetworkValues, type OverfittingFrame } from "./types";

const NAMES = { none: "p = 0", dropout: "dropout" } as const;

function cell(tag: "td" | "th", text: string, attributes: Record<string, string> = {}): HTMLElement {
  return html(tag, attributes, text);
}

export class Readouts {
  readonly element: HTMLElement;
  readonly summary: HTMLElement;
  private readonly body: HTMLElement;
  private readonly numbersBody: HTMLElement;
  readonly numbers: HTMLElement;
  private readonly cap: HTMLElement;

  constructor() {
    this.body = html("tbody");
    const head = html(
      "tr",
      {},
      cell("th", "Network", { scope: "col" }),
      cell("th", "Train loss", { scope: "col" }),
      cell("th", "Test loss", { scope: "col" }),
      cell("th", "Gap", { scope: "col", title: "test loss − train loss" }),
      cell("th", "Best test loss", { scope: "col" }),
    );
    this.element = html(
      "div",
      { class: "of-readouts", "aria-live": "polite", "aria-label": "Losses of both networks" },
      html("table", { class: "of-table" }, html("thead", {}, head), this.body),
    );
    this.summary = html("p", { class: "of-summary", "data-readout": "summary", "aria-live": "polite" });
    this.cap = html("p", { class: "of-cap", "data-readout": "cap", role: "status" });
    this.numbersBody = html("tbody");
    this.numbers = html(
      "details",
      { class: "of-numbers" },
      html("summary", {}, "The numbers"),
      html(
        "table",
        {},
        html(
          "thead",
          {},
          html(
            "tr",
            {},
            cell("th", "Step", { scope: "col" }),
            cell("th", "p = 0: train", { scope: "col" }),
            cell("th", "p = 0: test", { scope: "col" }),
            cell("th", "Dropout: train", { scope: "col" }),
            cell("th", "Dropout: test", { scope: "col" }),
          ),
        ),
        this.numbersBody,
      ),
    );
  }

  capNotice(): HTMLElement {
    return this.cap;
  }

  /** While Play runs the numbers change many times a second: screen readers hear them once it pauses. */
  announce(quietly: boolean): void {
    const live = quietly ? "off" : "polite";
    this.element.setAttribute("aria-live", live);
    this.summary.setAttribute("aria-live", live);
  }

  update(frame: OverfittingFrame, numbersOpen: boolean): void {
    const { values } = frame;
    if (this.body.children.length !== values.networks.length) {
      this.body.replaceChildren(...values.networks.map((network) => row(network, values.loss_name)));
    }
    values.networks.forEach((network, n) => fillRow(this.body.children[n] as HTMLElement, network));
    setText(this.summary, summary(frame));
    setText(
      this.cap,
      values.at_cap
        ? `Stopped at ${count(values.max_steps)} steps, the most this figure trains: press Reset to start again.`
        : "",
    );
    if (numbersOpen) this.fillNumbers(frame);
  }

  /** The table of every recorded step is long: it is filled only while it is open. */
  fillNumbers(frame: OverfittingFrame): void {
    const { curves } = frame;
    const stride = Math.max(1, Math.ceil(curves.steps.length / 60));
    const rows: HTMLElement[] = [];
    for (let i = 0; i < curves.steps.length; i += stride) {
      rows.push(
        html(
          "tr",
          {},
          cell("th", count(curves.steps[i] ?? 0), { scope: "row" }),
          cell("td", loss(curves.trainNone[i] ?? NaN)),
          cell("td", loss(curves.testNone[i] ?? NaN)),
          cell("td", loss(curves.trainDropout[i] ?? NaN)),
          cell("td", loss(curves.testDropout[i] ?? NaN)),
        ),
      );
    }
    this.numbersBody.replaceChildren(...rows);
  }
}

function row(network: NetworkValues, lossName: string): HTMLElement {
  const readout = (name: string, attributes: Record<string, string> = {}): HTMLElement =>
    cell("td", "–", { "data-readout": `${network.key}-${name}`, ...attributes });
  return html(
    "tr",
    { "data-network": network.key },
    cell("th", "", { scope: "row" }),
    readout("train"),
    readout("test"),
    readout("gap"),
    readout("best", { class: "of-best", title: lossName }),
  );
}

/** A network's numbers into its row, changing only what changed. */
function fillRow(row: HTMLElement, network: NetworkValues): void {
  const name = network.key === "none" ? "Without dropout (p = 0)" : `With dropout (p = ${network.p.toFixed(2)})`;
  const texts = [
    name,
    loss(network.train_loss),
    loss(network.test_loss),
    loss(network.gap),
    `${loss(network.best_test_loss)} at step ${count(network.best_step)}`,
  ];
  texts.forEach((text, i) => {
    const cellElement = row.children[i];
    if (cellElement) setText(cellElement, text);
  });
}

/** What the curves show so far, in the frame's numbers; no claim beyond them. */
export function summary({ values }: OverfittingFrame): string {
  const [none, dropout] = values.networks;
  if (values.step === 0) return "Both networks are untrained: press Play, or Step.";
  const risen = (n: NetworkValues): string =>
    n.rise > 0
      ? `${loss(n.test_loss)}, up ${loss(n.rise)} from its best (${loss(n.best_test_loss)} at step ${count(n.best_step)})`
      : `${loss(n.test_loss)}, its best so far`;
  const lower = none.test_loss > dropout.test_loss ? NAMES.dropout : NAMES.none;
  return (
    `After ${count(values.step)} steps the test loss of the network without dropout is ${risen(none)}; ` +
    `with dropout it is ${risen(dropout)}. Lower test loss now: ${lower === "dropout" ? "with dropout" : "without dropout"}.`
  );
}
