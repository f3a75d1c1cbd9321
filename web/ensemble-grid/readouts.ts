// The numbers around the maps, each read straight from the frame and announced politely as they change:
// how many of the 2^N sub-networks the grid shows, how many of its masks differ and how much probability
// they carry, whether sub-networks are equally likely at this p, the members' accuracy,
// and how much of the plane the average and the eval network agree on.

import { html, setText } from "../shared/dom";
import { PERCENT, type GridFrame } from "./types";

export class Counters {
  readonly element: HTMLElement;
  private readonly subnetworks: HTMLElement;
  private readonly distinct: HTMLElement;
  private readonly likelihood: HTMLElement;

  constructor() {
    this.subnetworks = html("span", { class: "pg-counter-value", "data-counter": "subnetworks" }, "–");
    this.distinct = html("span", { class: "pg-counter-value", "data-counter": "distinct" }, "–");
    // Sub-networks are not equally likely: a count alone would suggest they were.
    this.likelihood = html("span", { class: "gr-likelihood", "data-readout": "likelihood" });
    this.element = html(
      "div",
      { class: "gr-counters", role: "group", "aria-live": "polite", "aria-label": "Sub-networks shown" },
      html("p", { class: "gr-counter-line" }, this.subnetworks, " ", this.distinct),
      html("p", { class: "gr-counter-note" }, this.likelihood),
    );
  }

  update({ values }: GridFrame): void {
    setText(this.subnetworks, values.counter_text);
    setText(this.distinct, `${values.distinct} of ${values.settings.members} masks distinct, ${values.covered_text}`);
    setText(this.likelihood, values.likelihood_text);
  }
}

export class Summary {
  readonly element: HTMLElement;
  private readonly range: HTMLElement;
  private readonly agreement: HTMLElement;

  constructor() {
    this.range = html("span", { class: "pg-number", "data-readout": "member-range" }, "–");
    this.agreement = html("span", { class: "pg-number", "data-readout": "agreement" }, "–");
    this.element = html(
      "p",
      { class: "gr-summary", "aria-live": "polite" },
      "Members' test accuracy: ",
      this.range,
      ". The average and the eval network predict the same class on ",
      this.agreement,
      " of the plane.",
    );
  }

  update({ values }: GridFrame): void {
    const low = Math.min(...values.member_accuracy);
    const high = Math.max(...values.member_accuracy);
    setText(this.range, low === high ? PERCENT(low, 0) : `${PERCENT(low, 0)} to ${PERCENT(high, 0)}`);
    setText(this.agreement, PERCENT(values.agreement));
  }
}
