// The figure's one setting: the dataset both networks are trained on. The seed comes from the page
// address only; the figure keeps its controls few.

import { html, setText } from "../shared/dom";
import { DATASETS, type CoadValues } from "./types";

let uid = 0;

export class Controls {
  readonly element: HTMLElement;
  private readonly dataset: HTMLSelectElement;
  private readonly seed: HTMLElement;
  private shown: readonly string[] = [];

  constructor(setDataset: (dataset: string) => void) {
    const id = `coad-${++uid}`;
    this.dataset = html("select", { id: `${id}-dataset`, class: "pg-select" });
    this.showDatasets(DATASETS);
    this.seed = html("span", { class: "pg-number", "data-readout": "seed" }, "–");
    this.element = html(
      "div",
      { class: "coad-controls" },
      html("div", { class: "pg-field" }, html("label", { for: this.dataset.id }, "Dataset"), this.dataset),
      html("p", { class: "coad-seed-note" }, "Seed ", this.seed, " (set in the page address)"),
    );
    this.dataset.addEventListener("change", () => setDataset(this.dataset.value));
  }

  private showDatasets(names: readonly string[]): void {
    if (names.length === this.shown.length && names.every((name, i) => name === this.shown[i])) return;
    this.shown = [...names];
    this.dataset.replaceChildren(...names.map((name) => html("option", { value: name }, name)));
  }

  /** Shows what the frame shows: after a refused choice, the dataset really in use. */
  update(values: CoadValues | null): void {
    this.dataset.disabled = values === null;
    if (!values) return;
    this.showDatasets(values.datasets);
    this.dataset.value = values.settings.dataset;
    setText(this.seed, String(values.settings.seed));
  }
}
