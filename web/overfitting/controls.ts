// The before-and-after figure's controls: Play, Step, Reset and the speed; the task; the dropout
// network's p; and the data and network (noise, number of points, width, seed). Any change of the last
// three rows starts both networks again from their shared initial weights.

import { CheckedNumber, setting } from "../shared/checked-input";
import { html, setAttr, setText } from "../shared/dom";
import { pSlider, seedInput, seedRule } from "../shared/inputs";
import { SPEED_NAMES, count, type OverfittingValues, type Speed, type Task } from "./types";

export interface ControlActions {
  togglePlay(): void;
  step(): void;
  reset(): void;
  setSpeed(speed: Speed): void;
  setTask(task: Task): void;
  setP(p: number): void;
  setNoise(noise: number): void;
  setPoints(points: number): void;
  setWidth(width: number): void;
  setSeed(seed: number): void;
}

const TASK_LABELS: Record<Task, string> = { sine: "Noisy sine", moons: "Noisy moons" };
const SPEED_LABELS: Record<Speed, string> = { slow: "Slow", normal: "Normal", fast: "Fast" };

let uid = 0;

const POINTS_RANGE = [8, 200] as const; // figures/overfitting.py POINTS_RANGE

function segmented(name: string, options: Array<[string, string]>, onPick: (value: string) => void): HTMLElement[] {
  return options.map(([value, label]) => {
    const button = html("button", { type: "button", class: "pg-segment", "data-value": value, "aria-pressed": "false" }, label);
    button.addEventListener("click", () => onPick(value));
    button.dataset.group = name;
    return button;
  });
}

export class Controls {
  readonly element: HTMLElement;
  private readonly play: HTMLButtonElement;
  private readonly playLabel: HTMLElement;
  private readonly stepButton: HTMLButtonElement;
  private readonly resetButton: HTMLButtonElement;
  private readonly speed: HTMLSelectElement;
  private readonly stepCount: HTMLElement;
  private readonly tasks: HTMLElement[];
  private readonly pInput: HTMLInputElement;
  private readonly pValue: HTMLElement;
  private readonly noise: HTMLInputElement;
  private readonly noiseValue: HTMLElement;
  private readonly points: CheckedNumber;
  private readonly widths: HTMLElement[];
  private readonly seed: CheckedNumber;

  constructor(actions: ControlActions, widths: readonly number[]) {
    const id = `of-${++uid}`;
    this.playLabel = html("span", {}, "Play");
    this.play = html(
      "button",
      { type: "button", class: "pg-button pg-primary of-play", "aria-pressed": "false" },
      html("span", { class: "pg-icon", "aria-hidden": "true" }, "▶"),
      this.playLabel,
    );
    this.stepButton = html("button", { type: "button", class: "pg-button" }, "Step");
    setAttr(this.stepButton, "title", "10 more training steps for both networks");
    this.resetButton = html("button", { type: "button", class: "pg-button" }, "Reset");
    this.speed = html("select", { id: `${id}-speed`, class: "pg-select" });
    this.speed.append(...SPEED_NAMES.map((name) => html("option", { value: name }, SPEED_LABELS[name])));
    this.stepCount = html("span", { class: "of-steps", "data-readout": "steps" }, "–");

    this.tasks = segmented("task", [["sine", TASK_LABELS.sine], ["moons", TASK_LABELS.moons]], (task) =>
      actions.setTask(task as Task),
    );
    this.pInput = pSlider({ id: `${id}-p`, max: 0.9, value: 0.5, class: "pg-slider" });
    this.pValue = html("span", { class: "pg-p-value", "aria-hidden": "true", "data-readout": "p" }, "–");

    this.noise = html("input", { type: "range", id: `${id}-noise`, min: 0, max: 1, step: 0.05, class: "pg-slider" });
    this.noiseValue = html("span", { class: "of-value", "aria-hidden": "true", "data-readout": "noise" }, "–");
    // A number box sends when the student is done with it (Enter or leaving the box), and only a value
    // its own range allows.
    const [fewest, most] = POINTS_RANGE;
    this.points = new CheckedNumber(
      html("input", { type: "number", id: `${id}-points`, inputmode: "numeric", class: "pg-seed of-points" }),
      { name: "Training points", min: fewest, max: most, step: 1, whole: true },
      { send: (points) => actions.setPoints(points), owns: setting("points") },
    );
    this.widths = segmented(
      "width",
      widths.map((w) => [String(w), String(w)]),
      (width) => actions.setWidth(Number(width)),
    );
    this.seed = new CheckedNumber(seedInput({ id: `${id}-seed`, class: "pg-seed" }), seedRule("Seed"), {
      send: (seed) => actions.setSeed(seed),
      owns: setting("seed"),
    });

    const field = (label: Node | string, control: HTMLElement, ...rest: HTMLElement[]): HTMLElement =>
      html("div", { class: "pg-field" }, html("label", { for: control.id }, label), control, ...rest);
    const group = (legend: string, buttons: HTMLElement[], extra = ""): HTMLElement =>
      html(
        "fieldset",
        { class: `of-group ${extra}` },
        html("legend", { class: "of-legend" }, legend),
        html("div", { class: "pg-segmented" }, ...buttons),
      );

    this.element = html(
      "div",
      { class: "of-controls" },
      html(
        "div",
        { class: "of-row of-run" },
        this.play,
        this.stepButton,
        this.resetButton,
        field("Speed", this.speed),
        this.stepCount,
      ),
      html(
        "div",
        { class: "of-row" },
        group("Task", this.tasks, "of-tasks"),
        html(
          "div",
          { class: "pg-field of-p-field" },
          html("label", { for: this.pInput.id }, "Dropout network's ", html("var", {}, "p")),
          this.pInput,
          this.pValue,
        ),
      ),
      html(
        "div",
        { class: "of-row of-row-setup" },
        field("Noise", this.noise, this.noiseValue),
        field("Training points", this.points.input, this.points.message),
        group("Width", this.widths, "of-widths"),
        field("Seed", this.seed.input, this.seed.message),
      ),
    );

    this.play.addEventListener("click", () => actions.togglePlay());
    this.stepButton.addEventListener("click", () => actions.step());
    this.resetButton.addEventListener("click", () => actions.reset());
    this.speed.addEventListener("change", () => actions.setSpeed(this.speed.value as Speed));
    this.pInput.addEventListener("input", () => actions.setP(Number(this.pInput.value)));
    this.noise.addEventListener("input", () => actions.setNoise(Number(this.noise.value)));
  }

  /** The running state of Play, as the button shows and announces it. */
  playing(running: boolean): void {
    setAttr(this.play, "aria-pressed", running ? "true" : "false");
    setText(this.playLabel, running ? "Pause" : "Play");
    const icon = this.play.querySelector(".pg-icon");
    if (icon) setText(icon, running ? "❚❚" : "▶");
  }

  speedShown(speed: Speed): void {
    this.speed.value = speed;
  }

  /** `settled` is false while a slider's value is on its way, so that the slider is not pulled back. */
  update(values: OverfittingValues | null, settled: boolean): void {
    this.element.classList.toggle("is-waiting", values === null);
    for (const control of this.element.querySelectorAll<HTMLButtonElement | HTMLInputElement | HTMLSelectElement>(
      "button, input, select",
    )) {
      control.disabled = values === null;
    }
    if (!values) return;
    this.stepButton.disabled = values.at_cap;
    setText(this.stepCount, `Step ${count(values.step)} of ${count(values.max_steps)}`);
    this.showSettings(values.settings, settled);
  }

  /** The settings in the controls; before the first frame, those of the link being built (the controls
   * stay disabled until it is). */
  showSettings(s: OverfittingValues["settings"], settled = true): void {
    for (const button of this.tasks) setAttr(button, "aria-pressed", String(button.dataset.value === s.task));
    for (const button of this.widths) setAttr(button, "aria-pressed", String(Number(button.dataset.value) === s.width));
    if (settled) {
      this.pInput.value = String(s.p);
      this.noise.value = String(s.noise);
    }
    setText(this.pValue, s.p.toFixed(2));
    setAttr(this.pInput, "aria-valuetext", s.p.toFixed(2));
    setText(this.noiseValue, s.noise.toFixed(2));
    setAttr(this.noise, "aria-valuetext", s.noise.toFixed(2));
    this.points.show(String(s.points));
    this.seed.show(String(s.seed));
  }
}
