// The playground's controls, named as on the page students know: Drop probability p, Train mode /
// Eval mode, Resample, Auto-resample; then live training and the network's settings.

import { CheckedNumber, setting } from "../shared/checked-input";
import { html, setAttr, setText } from "../shared/dom";
import { pSlider, seedInput, seedRule } from "../shared/inputs";
import { STEPS_FORMAT } from "./readouts";
import {
  DATASETS,
  MAX_HIDDEN,
  SPEEDS,
  TRAINING_SPEED_NAMES,
  TRAINING_SPEEDS,
  type Mode,
  type PlaygroundSettings,
  type PlaygroundValues,
  type TrainingSpeed,
} from "./types";

export interface ControlActions {
  setP(p: number): void;
  setMode(mode: Mode): void;
  resample(): void;
  toggleAutoResample(): void;
  setSpeed(perSecond: number): void;
  toggleTraining(): void;
  setTrainingSpeed(speed: TrainingSpeed): void;
  reset(): void;
  setDataset(name: string): void;
  setHidden(first: number, second: number): void;
  setSeed(seed: number): void;
}

export interface LoopState {
  autoResampling: boolean;
  training: boolean;
  speed: number;
  trainingSpeed: TrainingSpeed;
  /** False while a value the slider sent is still on its way, so the slider is not pulled back. */
  pSettled: boolean;
}

let uid = 0;

function field(label: string | Array<Node | string>, control: HTMLElement, className = ""): HTMLElement {
  const id = control.id || `pg-control-${++uid}`;
  control.id = id;
  const text = typeof label === "string" ? [label] : label;
  return html("div", { class: `pg-field ${className}`.trim() }, html("label", { for: id }, ...text), control);
}

function options(select: HTMLSelectElement, items: Array<[string, string]>): HTMLSelectElement {
  select.append(...items.map(([value, text]) => html("option", { value }, text)));
  return select;
}

function toggle(label: string, extra: Record<string, string> = {}): HTMLButtonElement {
  return html(
    "button",
    { type: "button", class: "pg-button pg-toggle", "aria-pressed": "false", ...extra },
    html("span", { class: "pg-icon", "aria-hidden": "true" }),
    html("span", { class: "pg-toggle-label" }, label),
  );
}

export class Controls {
  readonly element: HTMLElement;
  private readonly slider: HTMLInputElement;
  private readonly pValue: HTMLElement;
  private readonly trainMode: HTMLButtonElement;
  private readonly evalMode: HTMLButtonElement;
  private readonly resampleButton: HTMLButtonElement;
  private readonly autoButton: HTMLButtonElement;
  private readonly speed: HTMLSelectElement;
  private readonly trainButton: HTMLButtonElement;
  private readonly trainingSpeed: HTMLSelectElement;
  private readonly resetButton: HTMLButtonElement;
  private readonly steps: HTMLElement;
  private readonly dataset: HTMLSelectElement;
  private readonly hidden: [HTMLSelectElement, HTMLSelectElement];
  private readonly seed: CheckedNumber;

  constructor(actions: ControlActions) {
    this.slider = pSlider({ max: 0.9, value: 0.5, class: "pg-slider" });
    const pField = field(["Drop probability ", html("var", {}, "p")], this.slider, "pg-p-field");
    // The slider itself announces its value (aria-valuetext); this copy is for the eye.
    this.pValue = html("span", { class: "pg-p-value", "aria-hidden": "true", "data-readout": "p" }, "–");
    pField.append(this.pValue);

    this.trainMode = html("button", { type: "button", class: "pg-segment", "aria-pressed": "true" }, "Train mode");
    this.evalMode = html("button", { type: "button", class: "pg-segment", "aria-pressed": "false" }, "Eval mode");
    const modes = html(
      "div",
      { class: "pg-segmented", role: "group", "aria-label": "Mode" },
      this.trainMode,
      this.evalMode,
    );

    this.resampleButton = html("button", { type: "button", class: "pg-button pg-primary" }, "Resample");
    this.autoButton = toggle("Auto-resample", { "data-action": "auto-resample" });
    // An option's name is its visible text ("3 / s"); the select's name says what the number counts.
    this.speed = options(
      html("select", { class: "pg-select pg-speed", "aria-label": "Auto-resample speed, new masks a second" }),
      SPEEDS.map((n): [string, string] => [String(n), `${n} / s`]),
    );
    const auto = html("div", { class: "pg-joined" }, this.autoButton, this.speed);

    this.trainButton = toggle("Train network", { "data-action": "train" });
    const speedNames: Record<TrainingSpeed, string> = { slow: "Slow", normal: "Normal", fast: "Fast" };
    this.trainingSpeed = options(
      html("select", { class: "pg-select pg-training-speed", "aria-label": "Training speed" }),
      TRAINING_SPEED_NAMES.map((name): [string, string] => [
        name,
        `${speedNames[name]} (${TRAINING_SPEEDS[name].toLocaleString("en-US")} steps/s)`,
      ]),
    );
    const train = html("div", { class: "pg-joined" }, this.trainButton, this.trainingSpeed);
    this.resetButton = html("button", { type: "button", class: "pg-button" }, "Reset");
    this.steps = html("span", { class: "pg-number", "data-readout": "steps" }, "–");
    const steps = html("span", { class: "pg-steps" }, "Steps: ", this.steps);

    this.dataset = options(
      html("select", { class: "pg-select" }),
      DATASETS.map((name): [string, string] => [name, name]),
    );
    const sizes = Array.from({ length: MAX_HIDDEN }, (_, i): [string, string] => [String(i + 1), String(i + 1)]);
    this.hidden = [
      options(html("select", { class: "pg-select", "aria-label": "Hidden layer 1 units" }), sizes),
      options(html("select", { class: "pg-select", "aria-label": "Hidden layer 2 units" }), sizes),
    ];
    const hidden = html(
      "div",
      { class: "pg-field", role: "group", "aria-label": "Hidden layer sizes" },
      html("span", { class: "pg-field-label", "aria-hidden": "true" }, "Hidden"),
      this.hidden[0],
      html("span", { class: "pg-times", "aria-hidden": "true" }, "×"),
      this.hidden[1],
    );
    this.seed = new CheckedNumber(seedInput({ class: "pg-seed" }), seedRule("Seed"), {
      send: (seed) => actions.setSeed(seed),
      owns: setting("seed"),
    });
    const seedField = field("Seed", this.seed.input, "pg-seed-field");
    seedField.append(this.seed.message);

    this.element = html(
      "div",
      { class: "pg-controls" },
      html("div", { class: "pg-row pg-row-p" }, pField, modes),
      html(
        "div",
        { class: "pg-row pg-row-actions" },
        html("div", { class: "pg-cluster" }, this.resampleButton, auto),
        html("div", { class: "pg-cluster" }, train, this.resetButton, steps),
      ),
      html(
        "div",
        { class: "pg-row pg-row-setup", role: "group", "aria-label": "Network and data" },
        field("Dataset", this.dataset),
        hidden,
        seedField,
      ),
    );

    this.slider.addEventListener("input", () => actions.setP(Number(this.slider.value)));
    this.trainMode.addEventListener("click", () => actions.setMode("train"));
    this.evalMode.addEventListener("click", () => actions.setMode("eval"));
    this.resampleButton.addEventListener("click", () => actions.resample());
    this.autoButton.addEventListener("click", () => actions.toggleAutoResample());
    this.speed.addEventListener("change", () => actions.setSpeed(Number(this.speed.value)));
    this.trainButton.addEventListener("click", () => actions.toggleTraining());
    this.trainingSpeed.addEventListener("change", () =>
      actions.setTrainingSpeed(this.trainingSpeed.value as TrainingSpeed),
    );
    this.resetButton.addEventListener("click", () => actions.reset());
    this.dataset.addEventListener("change", () => actions.setDataset(this.dataset.value));
    const sendHidden = (): void => actions.setHidden(Number(this.hidden[0].value), Number(this.hidden[1].value));
    this.hidden.forEach((select) => select.addEventListener("change", sendHidden));
  }

  update(values: PlaygroundValues | null, state: LoopState): void {
    this.element.classList.toggle("is-waiting", values === null);
    for (const control of this.element.querySelectorAll<HTMLButtonElement | HTMLInputElement | HTMLSelectElement>(
      "button, input, select",
    )) {
      control.disabled = values === null;
    }
    setText(this.autoButton.querySelector(".pg-icon") as Element, state.autoResampling ? "❚❚" : "▶");
    setText(this.trainButton.querySelector(".pg-icon") as Element, state.training ? "❚❚" : "▶");
    setAttr(this.autoButton, "aria-pressed", String(state.autoResampling));
    setAttr(this.trainButton, "aria-pressed", String(state.training));
    this.speed.value = String(state.speed);
    this.trainingSpeed.value = state.trainingSpeed;
    if (!values) return;
    const { settings } = values;
    this.showSettings(settings, state.pSettled);
    // New masks are drawn only in train mode: in eval mode every unit is used.
    this.autoButton.disabled = settings.mode !== "train";
    this.speed.disabled = settings.mode !== "train";
    this.autoButton.title = settings.mode === "train" ? "" : "Auto-resample draws new masks in train mode only";
    setText(this.steps, STEPS_FORMAT.format(values.steps));
  }

  /** The settings in the controls; before the first frame, those of the link being built (the controls
   * stay disabled until it is). */
  showSettings(settings: PlaygroundSettings, pSettled = true): void {
    if (pSettled) this.slider.value = String(settings.p);
    setText(this.pValue, settings.p.toFixed(2));
    setAttr(this.slider, "aria-valuetext", settings.p.toFixed(2));
    setAttr(this.trainMode, "aria-pressed", String(settings.mode === "train"));
    setAttr(this.evalMode, "aria-pressed", String(settings.mode === "eval"));
    this.dataset.value = settings.dataset;
    this.hidden[0].value = String(settings.hidden[0]);
    this.hidden[1].value = String(settings.hidden[1]);
    this.seed.show(String(settings.seed));
  }
}
