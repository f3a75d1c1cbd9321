// The grid's controls: Drop probability p, how many members, Resample, and the dataset. The network's
// size and seed come from the page address only; the figure keeps its controls few.

import { html, setAttr, setText } from "../shared/dom";
import { pSlider } from "../shared/inputs";
import { DATASETS, MEMBER_CHOICES, type GridValues } from "./types";

export interface ControlActions {
  setP(p: number): void;
  setMembers(members: number): void;
  resample(): void;
  setDataset(name: string): void;
}

let uid = 0;

export class Controls {
  readonly element: HTMLElement;
  private readonly slider: HTMLInputElement;
  private readonly pValue: HTMLElement;
  private readonly members: HTMLInputElement[];
  private readonly resampleButton: HTMLButtonElement;
  private readonly dataset: HTMLSelectElement;
  private readonly trainedP: HTMLElement;
  private readonly trainedSteps: HTMLElement;

  constructor(actions: ControlActions) {
    const id = `gr-${++uid}`;
    this.slider = pSlider({ id: `${id}-p`, max: 0.9, value: 0.5, class: "pg-slider" });
    // The slider announces its own value (aria-valuetext); this copy is for the eye.
    this.pValue = html("span", { class: "pg-p-value", "aria-hidden": "true", "data-readout": "p" }, "–");
    const pField = html(
      "div",
      { class: "pg-field gr-p-field" },
      html("label", { for: this.slider.id }, "Drop probability ", html("var", {}, "p")),
      this.slider,
      this.pValue,
    );

    this.members = MEMBER_CHOICES.map((count) =>
      html("input", { type: "radio", name: `${id}-members`, value: count, id: `${id}-members-${count}` }),
    );
    const membersField = html(
      "fieldset",
      { class: "gr-members" },
      html("legend", { class: "gr-legend" }, "Members"),
      html(
        "div",
        { class: "pg-radios" },
        ...this.members.flatMap((input) => [input, html("label", { for: input.id }, input.value)]),
      ),
    );

    this.resampleButton = html("button", { type: "button", class: "pg-button pg-primary" }, "Resample");

    this.dataset = html("select", { id: `${id}-dataset`, class: "pg-select" });
    this.dataset.append(...DATASETS.map((name) => html("option", { value: name }, name)));
    this.trainedP = html("span", { class: "pg-number" }, "–");
    this.trainedSteps = html("span", { class: "pg-number" }, "–");
    // The grid builds its network as the playground opens; it does not follow the playground afterwards.
    const note = html(
      "p",
      { class: "gr-note", "data-readout": "weights" },
      "These are the playground's weights as it opens, trained at ",
      html("var", {}, "p"),
      " = ",
      this.trainedP,
      " for ",
      this.trainedSteps,
      " steps; training it further there does not change them. Here ",
      html("var", {}, "p"),
      " only changes which units each member drops.",
    );

    this.element = html(
      "div",
      { class: "gr-controls" },
      html("div", { class: "gr-row" }, pField, membersField, this.resampleButton),
      html(
        "div",
        { class: "gr-row gr-row-setup" },
        html("div", { class: "pg-field" }, html("label", { for: this.dataset.id }, "Dataset"), this.dataset),
        note,
      ),
    );

    this.slider.addEventListener("input", () => actions.setP(Number(this.slider.value)));
    for (const input of this.members) {
      input.addEventListener("change", () => {
        if (input.checked) actions.setMembers(Number(input.value));
      });
    }
    this.resampleButton.addEventListener("click", () => actions.resample());
    this.dataset.addEventListener("change", () => actions.setDataset(this.dataset.value));
  }

  /** `pSettled` is false while a value the slider sent is on its way, so the slider is not pulled back. */
  update(values: GridValues | null, pSettled: boolean): void {
    this.element.classList.toggle("is-waiting", values === null);
    for (const control of this.element.querySelectorAll<HTMLButtonElement | HTMLInputElement | HTMLSelectElement>(
      "button, input, select",
    )) {
      control.disabled = values === null;
    }
    if (!values) return;
    const { settings } = values;
    if (pSettled) this.slider.value = String(settings.p);
    setText(this.pValue, settings.p.toFixed(2));
    setAttr(this.slider, "aria-valuetext", settings.p.toFixed(2));
    for (const input of this.members) input.checked = Number(input.value) === settings.members;
    this.dataset.value = settings.dataset;
    setText(this.trainedP, String(values.trained_p));
    setText(this.trainedSteps, String(values.trained_steps));
  }
}
