// The figure's controls: Resample (new masks for train mode and for MC dropout), Auto (Resample over
// and over, once the student asks), and T, the number of passes MC dropout averages. The seed comes from
// the page address only.

import { html, setAttr, setText } from "../shared/dom";
import { T_CHOICES, type ForgottenEvalValues } from "./types";

export interface ControlActions {
  resample(): void;
  toggleAuto(): void;
  setT(T: number): void;
}

let uid = 0;

export class Controls {
  readonly element: HTMLElement;
  private readonly resampleButton: HTMLButtonElement;
  private readonly autoButton: HTMLButtonElement;
  private readonly choices: HTMLElement;
  private readonly name: string;
  private radios: HTMLInputElement[] = [];
  private shownChoices: readonly number[] = [];
  private readonly draw: HTMLElement;

  constructor(private readonly actions: ControlActions) {
    const id = `fe-${++uid}`;
    this.name = `${id}-t`;
    this.resampleButton = html("button", { type: "button", class: "pg-button pg-primary" }, "Resample");
    this.autoButton = html(
      "button",
      { type: "button", class: "pg-button pg-toggle", "aria-pressed": "false" },
      html("span", { class: "pg-icon", "aria-hidden": "true" }, "▶"),
      html("span", {}, "Auto"),
    );
    this.choices = html("div", { class: "pg-radios" });
    this.showChoices(T_CHOICES);
    const tField = html(
      "fieldset",
      { class: "fe-t" },
      html("legend", { class: "fe-legend" }, "MC passes ", html("var", {}, "T")),
      this.choices,
    );
    this.draw = html("span", { class: "pg-number", "data-readout": "draw" }, "–");
    const drawLine = html("p", { class: "fe-draw", "aria-live": "polite" }, "Draw ", this.draw);

    this.element = html(
      "div",
      { class: "fe-controls" },
      html("div", { class: "fe-actions" }, this.resampleButton, this.autoButton, drawLine),
      tField,
    );
    this.resampleButton.addEventListener("click", () => actions.resample());
    this.autoButton.addEventListener("click", () => actions.toggleAuto());
  }

  /** One native radio per choice: arrow keys, Tab and screen readers work as they do everywhere. */
  private showChoices(choices: readonly number[]): void {
    if (choices.join() === this.shownChoices.join()) return;
    this.shownChoices = [...choices];
    this.radios = choices.map((T) =>
      html("input", { type: "radio", name: this.name, value: T, id: `${this.name}-${T}`, class: "fe-radio" }),
    );
    this.choices.replaceChildren(
      ...this.radios.flatMap((radio) => [radio, html("label", { for: radio.id }, radio.value)]),
    );
    for (const radio of this.radios) {
      radio.addEventListener("change", () => {
        if (radio.checked) this.actions.setT(Number(radio.value));
      });
    }
  }

  update(values: ForgottenEvalValues | null, auto: boolean): void {
    this.element.classList.toggle("is-waiting", values === null);
    for (const control of this.element.querySelectorAll<HTMLButtonElement | HTMLInputElement>("button, input")) {
      control.disabled = values === null;
    }
    setText(this.autoButton.querySelector(".pg-icon") as Element, auto ? "❚❚" : "▶");
    setAttr(this.autoButton, "aria-pressed", String(auto));
    if (!values) return;
    this.showChoices(values.t_choices);
    for (const radio of this.radios) radio.checked = Number(radio.value) === values.settings.T;
    setText(this.draw, values.settings.draw.toLocaleString("en-US"));
  }
}
