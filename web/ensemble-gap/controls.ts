// The figure's controls: which network, the drop probability p (one of the choices the server computed
// in advance), the dataset and the network's seed.

import { CheckedNumber, setting } from "../shared/checked-input";
import { html } from "../shared/dom";
import { seedInput, seedRule } from "../shared/inputs";
import { pText } from "./format";
import { DATASETS, NETWORKS, P_CHOICES, type GapValues, type Network } from "./types";

export interface GapActions {
  setNetwork(network: Network): void;
  setP(p: number): void;
  setDataset(dataset: string): void;
  setSeed(seed: number): void;
}

let uid = 0;

function field(label: string | Array<Node | string>, control: HTMLElement, className = ""): HTMLElement {
  control.id ||= `eg-control-${++uid}`;
  const text = typeof label === "string" ? [label] : label;
  return html("div", { class: `eg-field ${className}`.trim() }, html("label", { for: control.id }, ...text), control);
}

/** A row of pill-shaped radios: native radios, so arrow keys, Tab and screen readers work as usual. */
function choices(group: HTMLElement, values: ReadonlyArray<[string, string]>): HTMLInputElement[] {
  const name = `eg-choice-${++uid}`;
  const radios = values.map(([value]) => html("input", { type: "radio", name, value, class: "eg-radio" }));
  group.replaceChildren(
    ...values.map(([, label], i) =>
      html("label", { class: "eg-choice" }, radios[i] as HTMLInputElement, html("span", {}, label)),
    ),
  );
  return radios;
}

export class GapControls {
  readonly element: HTMLElement;
  private readonly networkRadios: HTMLInputElement[];
  private readonly pGroup: HTMLElement;
  private pRadios: HTMLInputElement[] = [];
  private pShown: readonly number[] = [];
  private readonly dataset: HTMLSelectElement;
  private readonly seed: CheckedNumber;

  constructor(private readonly actions: GapActions) {
    const networks = html("div", { class: "eg-segmented eg-networks", role: "radiogroup", "aria-label": "Network" });
    this.networkRadios = choices(networks, NETWORKS);

    const pLabel = html("span", { class: "eg-group-label", id: `eg-p-label-${++uid}` }, "Drop probability ");
    pLabel.append(html("var", {}, "p"));
    this.pGroup = html("div", { class: "eg-segmented eg-p-choices", role: "radiogroup", "aria-labelledby": pLabel.id });
    this.showPChoices(P_CHOICES);
    const pField = html("div", { class: "eg-field eg-p-field" }, pLabel, this.pGroup);

    this.dataset = html("select", { class: "eg-select" });
    this.dataset.append(...DATASETS.map((name) => html("option", { value: name }, name)));
    this.seed = new CheckedNumber(seedInput({ class: "eg-seed" }), seedRule("Seed"), {
      send: (seed) => actions.setSeed(seed),
      owns: setting("seed"),
    });
    const seedField = field("Seed", this.seed.input, "eg-seed-field");
    seedField.append(this.seed.message);

    this.element = html(
      "div",
      { class: "eg-controls" },
      networks,
      html(
        "div",
        { class: "eg-row" },
        pField,
        html(
          "div",
          { class: "eg-setup", role: "group", "aria-label": "Data and seed" },
          field("Dataset", this.dataset),
          seedField,
        ),
      ),
    );

    for (const radio of this.networkRadios) {
      radio.addEventListener("change", () => radio.checked && actions.setNetwork(radio.value as Network));
    }
    this.dataset.addEventListener("change", () => actions.setDataset(this.dataset.value));
  }

  /** One radio per p the server computed in advance (the frame lists them; they are known before it comes). */
  private showPChoices(values: readonly number[]): void {
    if (values.length === this.pShown.length && values.every((p, i) => p === this.pShown[i])) return;
    this.pShown = [...values];
    this.pRadios = choices(
      this.pGroup,
      values.map((p) => [String(p), pText(p)]),
    );
    for (const radio of this.pRadios) {
      radio.addEventListener("change", () => radio.checked && this.actions.setP(Number(radio.value)));
    }
  }

  /** `pSettled` is false while a p the radios sent is on its way, so that quick arrow presses are not undone. */
  update(values: GapValues | null, pSettled: boolean): void {
    for (const control of this.element.querySelectorAll<HTMLInputElement | HTMLSelectElement>("input, select")) {
      control.disabled = values === null;
    }
    if (!values) return;
    const { settings } = values;
    this.showPChoices(values.p_choices);
    for (const radio of this.networkRadios) radio.checked = radio.value === settings.network;
    if (pSettled) for (const radio of this.pRadios) radio.checked = Number(radio.value) === settings.p;
    this.dataset.value = settings.dataset;
    this.seed.show(String(settings.seed));
  }
}
