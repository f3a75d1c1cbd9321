// The data-flow figure's controls: the drop probability, the scaling, the probe input and the seed of
// the masks; then Resample, Draw 100, Auto and Start over.

import { CheckedNumber, setting } from "../shared/checked-input";
import { html, setAttr, setText } from "../shared/dom";
import { pSlider, seedInput, seedRule } from "../shared/inputs";
import { fixed, SCALINGS, type DataFlowValues, type Scaling } from "./types";

export const DRAW_MANY = 100;

export interface ControlActions {
  setP(p: number): void;
  setScaling(scaling: Scaling): void;
  setProbe(x1: number, x2: number): void;
  setSeed(seed: number): void;
  resample(count: number): void;
  toggleAuto(): void;
  startOver(): void;
}

export interface ControlState {
  auto: boolean;
  /** False while a value the slider sent is still on its way, so the slider is not pulled back. */
  pSettled: boolean;
}

const SCALING_TEXT: Record<Scaling, [string, string]> = {
  inverted: ["Inverted (PyTorch)", "training × 1/(1 − p); eval passes h"],
  classic: ["Classic", "training unscaled; eval × (1 − p)"],
  none: ["None (the bug)", "unscaled in training and in eval"],
};

let uid = 0;

const PROBE_LIMIT = 5; // figures/data_flow.py PROBE_LIMIT: each coordinate from −5 to 5

/** A probe coordinate as its input shows it: 1.0 rather than 1, and every decimal the address keeps. */
function coordinate(value: number): string {
  return Number.isInteger(value) ? value.toFixed(1) : String(value);
}

function numberInput(label: string): HTMLInputElement {
  return html("input", { type: "number", class: "df-number-input", "aria-label": label, inputmode: "decimal" });
}

export class Controls {
  readonly element: HTMLElement;
  private readonly slider: HTMLInputElement;
  private readonly pValue: HTMLElement;
  private readonly radios = new Map<Scaling, HTMLInputElement>();
  private readonly probe: [CheckedNumber, CheckedNumber];
  private readonly seed: CheckedNumber;
  private readonly resampleButton: HTMLButtonElement;
  private readonly manyButton: HTMLButtonElement;
  private readonly autoButton: HTMLButtonElement;
  private readonly startOverButton: HTMLButtonElement;

  constructor(actions: ControlActions) {
    const id = ++uid;
    this.slider = pSlider({ id: `df-p-${id}`, max: 1, value: 0.2, class: "pg-slider df-slider" });
    this.pValue = html("span", { class: "df-p-value", "aria-hidden": "true", "data-readout": "p" }, "–");
    const pField = html(
      "div",
      { class: "df-field df-p-field" },
      html("label", { for: this.slider.id }, "Drop probability ", html("var", {}, "p")),
      this.slider,
      this.pValue,
    );

    const scalingLabel = html("span", { class: "df-scaling-label", id: `df-scaling-label-${id}` }, "Scaling");
    const choices = html("div", { class: "df-choices" });
    const scaling = html(
      "div",
      { class: "df-scaling", role: "radiogroup", "aria-labelledby": scalingLabel.id },
      scalingLabel,
      choices,
    );
    for (const name of SCALINGS) {
      const [label, note] = SCALING_TEXT[name];
      const noteId = `df-scaling-${id}-${name}`;
      // Named by the choice alone; the note is its description, read after it.
      const radio = html("input", {
        type: "radio",
        name: `df-scaling-${id}`,
        value: name,
        class: "df-radio",
        "aria-label": label,
        "aria-describedby": noteId,
      });
      radio.addEventListener("change", () => radio.checked && actions.setScaling(name));
      this.radios.set(name, radio);
      choices.append(
        html(
          "label",
          { class: "df-choice", "data-scaling": name },
          radio,
          html(
            "span",
            { class: "df-choice-text" },
            html("span", { class: "df-choice-name" }, label),
            html("span", { class: "df-choice-note", id: noteId }, note),
          ),
        ),
      );
    }

    // Both boxes send the whole probe: the one just changed, and the other as it stands.
    const sendProbe = (changed: 0 | 1, value: number): void => {
      const other = this.probe[changed === 0 ? 1 : 0].input.value;
      const probe = changed === 0 ? [value, Number(other)] : [Number(other), value];
      if (probe.every(Number.isFinite)) actions.setProbe(probe[0] as number, probe[1] as number);
    };
    const coordinateBox = (i: 0 | 1, name: string): CheckedNumber =>
      new CheckedNumber(
        numberInput(`Probe input ${name}`),
        { name, min: -PROBE_LIMIT, max: PROBE_LIMIT, step: 0.1 },
        { send: (value) => sendProbe(i, value), owns: setting("probe") },
      );
    this.probe = [coordinateBox(0, "x₁"), coordinateBox(1, "x₂")];
    const probe = html(
      "div",
      { class: "df-field df-probe", role: "group", "aria-label": "Probe input" },
      html("span", { class: "df-field-label", "aria-hidden": "true" }, "Probe input"),
      html("label", { class: "df-coordinate" }, html("var", { "aria-hidden": "true" }, "x₁"), this.probe[0].input),
      html("label", { class: "df-coordinate" }, html("var", { "aria-hidden": "true" }, "x₂"), this.probe[1].input),
      this.probe[0].message,
      this.probe[1].message,
    );
    this.seed = new CheckedNumber(
      seedInput({ id: `df-seed-${id}`, class: "df-number-input df-seed" }),
      seedRule("Mask seed"),
      { send: (seed) => actions.setSeed(seed), owns: setting("seed") },
    );
    const seed = html(
      "div",
      { class: "df-field" },
      html("label", { for: this.seed.input.id }, "Mask seed"),
      this.seed.input,
      this.seed.message,
    );

    this.resampleButton = html("button", { type: "button", class: "pg-button pg-primary" }, "Resample");
    this.manyButton = html("button", { type: "button", class: "pg-button" }, `Draw ${DRAW_MANY}`);
    this.autoButton = html(
      "button",
      { type: "button", class: "pg-button pg-toggle", "aria-pressed": "false" },
      html("span", { class: "pg-icon", "aria-hidden": "true" }, "▶"),
      html("span", {}, "Auto"),
    );
    this.startOverButton = html("button", { type: "button", class: "pg-button" }, "Start over");

    this.element = html(
      "div",
      { class: "df-controls" },
      html("div", { class: "df-row" }, pField, html("div", { class: "df-cluster df-setup" }, probe, seed)),
      scaling,
      html(
        "div",
        { class: "df-row df-row-actions" },
        html(
          "div",
          { class: "df-cluster df-actions" },
          this.resampleButton,
          this.manyButton,
          this.autoButton,
          this.startOverButton,
        ),
      ),
    );

    this.slider.addEventListener("input", () => actions.setP(Number(this.slider.value)));
    this.resampleButton.addEventListener("click", () => actions.resample(1));
    this.manyButton.addEventListener("click", () => actions.resample(DRAW_MANY));
    this.autoButton.addEventListener("click", () => actions.toggleAuto());
    this.startOverButton.addEventListener("click", () => actions.startOver());
  }

  update(values: DataFlowValues | null, state: ControlState): void {
    this.element.classList.toggle("is-waiting", values === null);
    for (const control of this.element.querySelectorAll<HTMLButtonElement | HTMLInputElement>("button, input")) {
      control.disabled = values === null;
    }
    setText(this.autoButton.querySelector(".pg-icon") as Element, state.auto ? "❚❚" : "▶");
    setAttr(this.autoButton, "aria-pressed", String(state.auto));
    if (!values) return;
    const { settings } = values;
    if (state.pSettled) this.slider.value = String(settings.p);
    setText(this.pValue, fixed(settings.p, 2));
    setAttr(this.slider, "aria-valuetext", fixed(settings.p, 2));
    for (const [name, radio] of this.radios) radio.checked = name === settings.scaling;
    this.probe[0].show(coordinate(settings.probe[0]));
    this.probe[1].show(coordinate(settings.probe[1]));
    this.seed.show(String(settings.seed));
    // The running mean holds at most max_draws masks: then only Start over (or a new setting) goes on.
    const full = values.draws >= values.max_draws;
    const why = full ? `The running mean holds at most ${values.max_draws.toLocaleString("en-US")} masks` : "";
    for (const button of [this.resampleButton, this.manyButton]) {
      button.disabled = full;
      button.title = why;
    }
    this.autoButton.disabled = full && !state.auto;
    this.autoButton.title = why;
  }
}
