// The k slider: how many hidden units to read the chart at. It only moves the chart's marker and the
// readout under it; the frame already holds every k, so nothing is sent and the address keeps no k.

import { html, setAttr, setText } from "../shared/dom";
import { band, percent, pText } from "./format";
import type { CoadFrame } from "./types";

let uid = 0;

/** What the readout says at the index `i` of the frame's k. */
export function readoutText(frame: CoadFrame, i: number): string {
  const { values, curves } = frame;
  const { units, choices, ps } = values;
  const k = frame.k[i] ?? 0;
  const [a, b] = curves.map((c) => c.mean[i] ?? 0);
  const networks = `p = ${pText(ps[0])} network ${percent(a ?? 0)}, p = ${pText(ps[1])} network ${percent(b ?? 0)}`;
  // With none or all of the units removed every random set is the same set: no spread to report.
  if (k === 0) return `With no units removed: ${networks}.`;
  if (k === units) return `With all ${units} units removed: ${networks}.`;
  const [low, high] = curves.map((c) => band(c.low[i] ?? 0, c.high[i] ?? 0));
  return (
    `With ${k} of ${units} units removed: ${networks} (mean over ${choices} random sets of ${k} units, ` +
    `the same for both networks; 10th–90th percentile ${low} and ${high}).`
  );
}

export class KSlider {
  readonly field: HTMLElement;
  readonly readout: HTMLElement;
  private readonly slider: HTMLInputElement;
  private readonly value: HTMLElement;
  private frame: CoadFrame | null = null;

  /** `moved` is told the new k, by the slider or by `set` (a click on the chart). */
  constructor(private readonly moved: (k: number) => void) {
    const id = `coad-k-${++uid}`;
    this.slider = html("input", { type: "range", id, class: "pg-slider", min: 0, max: 64, step: 2, value: 32 });
    this.slider.disabled = true;
    // The slider announces its own value (aria-valuetext); this copy is for the eye.
    this.value = html("span", { class: "coad-k-value", "aria-hidden": "true", "data-readout": "k" }, "–");
    this.field = html(
      "div",
      { class: "pg-field coad-k-field" },
      html("label", { for: id }, "Units removed ", html("var", {}, "k")),
      this.slider,
      this.value,
    );
    this.readout = html("p", { class: "coad-readout", "data-readout": "at-k", "aria-live": "polite" }, "\u00a0");
    this.slider.addEventListener("input", () => this.show());
  }

  get k(): number {
    return Number(this.slider.value);
  }

  /** A new frame: the slider spans its k; the first frame starts it at N/2, later ones keep the student's k. */
  update(frame: CoadFrame): void {
    const first = this.frame === null;
    this.frame = frame;
    const { k } = frame;
    const step = k.length > 1 ? (k[1] ?? 0) - (k[0] ?? 0) : 1;
    const kept = this.k;
    setAttr(this.slider, "min", k[0] ?? 0);
    setAttr(this.slider, "max", frame.values.units);
    setAttr(this.slider, "step", step);
    this.slider.disabled = false;
    this.slider.value = String(first || k.indexOf(kept) < 0 ? frame.values.half.k : kept);
    this.show();
  }

  set(k: number): void {
    if (!this.frame || this.frame.k.indexOf(k) < 0) return;
    this.slider.value = String(k);
    this.show();
  }

  private show(): void {
    const frame = this.frame;
    if (!frame) return;
    const k = this.k;
    const i = frame.k.indexOf(k);
    if (i < 0) return;
    const units = frame.values.units;
    setText(this.value, `${k} of ${units}`);
    setAttr(this.slider, "aria-valuetext", `${k} of ${units} units removed`);
    setText(this.readout, readoutText(frame, i));
    this.moved(k);
  }
}
