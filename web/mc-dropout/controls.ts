// The figure's controls: the drop probability p of the dropout network, how many passes T the MC
// estimate averages, and Resample (new masks for those passes). The seed comes from the page address only.

import { html, setAttr, setText } from "../shared/dom";
import { pSlider } from "../shared/inputs";
import { T_CHOICES, fixed, type McValues } from "./types";

export interface ControlActions {
  setP(p: number): void;
  setT(T: number): void;
  resample(): void;
}

let uid = 0;

export class Controls {
  readonly element: HTMLElement;
  private readonly slider: HTMLInputElement;
  private readonly pValue: HTMLElement;
  private readonly tGroup: HTMLElement;
  private tRadios: HTMLInputElement[] = [];
  private tShown: readonly number[] = [];
  private readonly resampleButton: HTMLButtonElement;
  private readonly name: string;

  constructor(private readonly actions: ControlActions) {
    const id = `mc-${++uid}`;
    this.name = `${id}-T`;
    this.slider = pSlider({ id: `${id}-p`, max: 0.9, value: 0.2, class: "pg-slider" });
    // The slider announces its own value (aria-valuetext); this copy is for the eye.
    this.pValue = html("span", { class: "pg-p-value", "aria-hidden": "true", "data-readout": "p" }, "–");
    const pField = html(
      "div",
      { class: "pg-field mc-p-field" },
      html("label", { for: this.slider.id }, "Drop probability ", html("var", {}, "p")),
      this.slider,
      this.pValue,
    );

    this.tGroup = html("div", { class: "pg-radios" });
    this.showTChoices(T_CHOICES);
    const tField = html(
      "fieldset",
      { class: "mc-t-field" },
      html("legend", { class: "mc-t-legend" }, "Passes ", html("var", {}, "T")),
      this.tGroup,
    );

    this.resampleButton = html(
      "button",
      { type: "button", class: "pg-button pg-primary", title: "New dropout masks for the T passes" },
      "Resample",
    );

    this.element = html(
      "div",
      { class: "mc-controls" },
      pField,
      html("div", { class: "mc-row" }, tField, this.resampleButton),
    );

    this.slider.addEventListener("input", () => actions.setP(Number(this.slider.value)));
    this.resampleButton.addEventListener("click", () => actions.resample());
  }

  /** One radio per T the figure offers (the frame lists them; they are known before it comes). */
  private showTChoices(values: readonly number[]): void {
    if (values.length === this.tShown.length && values.every((t, i) => t === this.tShown[i])) return;
    this.tShown = [...values];
    this.tRadios = values.map((t) =>
      html("input", { type: "radio", name: this.name, value: t, id: `${this.name}-${t}` }),
    );
    this.tGroup.replaceChildren(
      ...this.tRadios.flatMap((radio) => [radio, html("label", { for: radio.id }, radio.value)]),
    );
    for (const radio of this.tRadios) {
      radio.addEventListener("change", () => radio.checked && this.actions.setT(Number(radio.value)));
    }
  }

  /** `pSettled` is false while a value the slider sent is on its way, so the slider is not pulled back. */
  update(values: McValues | null, pSettled: boolean): void {
    this.element.classList.toggle("is-waiting", values === null);
    for (const control of this.element.querySelectorAll<HTMLButtonElement | HTMLInputElement>("button, input")) {
      control.disabled = values === null;
    }
    if (!values) return;
    const { settings } = values;
    this.showTChoices(values.t_choices);
    if (pSettled) this.slider.value = String(settings.p);
    setText(this.pValue, fixed(settings.p));
    setAttr(this.slider, "aria-valuetext", fixed(settings.p));
    for (const radio of this.tRadios) radio.checked = Number(radio.value) === settings.T;
  }
}
