// The words and numbers around the charts, each read straight from the frame: how far training has got,
// the band widths by region for both methods, what the band is, each chart's text alternative, and the
// charts' own numbers as a table for readers who cannot see them.

import { html, setText } from "../shared/dom";
import { scrollBox } from "../shared/scroll-box";
import { coordinate } from "./points";
import {
  METHOD_TEXT,
  REGIONS,
  REGION_TEXT,
  count,
  fixed,
  short,
  width,
  type McFrame,
  type McValues,
  type Method,
} from "./types";

const TABLE_EVERY = 10; // the table shows every 10th point of the curves

/** "Training… 640 of 2,000 steps", or how far training got when it is not running. */
export function progressText(values: McValues, running: boolean): string {
  const { settings, target_steps, trained } = values;
  const of = `${count(settings.steps)} of ${count(target_steps)} steps`;
  if (trained) return `Trained: ${of}.`;
  return running ? `Training… ${of}` : `Trained ${of} so far.`;
}

/** "MC dropout 0.30 on the data, 0.44 in the gap, 0.57 outside; ensemble 0.21, 0.62, 0.57". */
export function bandText(values: McValues): string {
  const mc = REGIONS.map((region) => `${width(values.band.mc[region])} ${REGION_TEXT[region]}`).join(", ");
  const ensemble = REGIONS.map((region) => width(values.band.ensemble[region])).join(", ");
  return `Band width (± 2 predictive sd): MC dropout ${mc}; ensemble ${ensemble}`;
}

export function chartTitle(method: Method, values: McValues): string {
  const { settings, members } = values;
  return method === "mc"
    ? `MC dropout (p = ${fixed(settings.p)}, T = ${settings.T} passes)`
    : `Deep ensemble (${members} networks, no dropout)`;
}

/** A chart's text alternative: what it shows, its points and its band widths. */
export function chartLabel(method: Method, values: McValues): string {
  const { points, x_range, y_range, band } = values;
  const xs = points.map(([x]) => x);
  const [low, high] = [coordinate(Math.min(...xs)), coordinate(Math.max(...xs))];
  const where = `${points.length} training points with x from ${low} to ${high}`;
  const widths = REGIONS.map((region) => `${width(band[method][region])} ${REGION_TEXT[region]}`).join(", ");
  const thin = method === "mc" ? `${values.thin_passes} single passes` : `the ${values.members} members' curves`;
  return (
    `${chartTitle(method, values)}: mean and band of ± 2 predictive sd, with ${thin}, the true function ` +
    `and ${where}, on x from ${coordinate(x_range[0])} to ${coordinate(x_range[1])} and y from ` +
    `${coordinate(y_range[0])} to ${coordinate(y_range[1])}. Band width ${widths}.`
  );
}

export class Progress {
  readonly element: HTMLElement;
  private readonly text: HTMLElement;
  readonly button: HTMLButtonElement;

  constructor(resume: () => void) {
    this.text = html("span", { class: "mc-progress-text", "data-readout": "progress" }, "–");
    this.button = html("button", { type: "button", class: "pg-button mc-resume", hidden: true }, "Continue training");
    this.button.addEventListener("click", resume);
    this.element = html(
      "div",
      { class: "mc-progress" },
      html("p", { class: "mc-progress-line", "aria-live": "polite" }, this.text),
      this.button,
    );
  }

  update(values: McValues | null, running: boolean): void {
    if (!values) return;
    setText(this.text, progressText(values, running));
    this.element.classList.toggle("is-training", !values.trained);
    this.button.hidden = values.trained || running;
  }
}

export class BandReadout {
  readonly element: HTMLElement;
  private readonly widths: HTMLElement;
  private readonly meaning: HTMLElement;

  constructor() {
    this.widths = html("p", { class: "mc-widths", "data-readout": "band", "aria-live": "polite" }, "–");
    this.meaning = html("p", { class: "mc-meaning", "data-readout": "meaning" });
    this.element = html("div", { class: "mc-readouts" }, this.widths, this.meaning);
  }

  update({ values }: McFrame): void {
    setText(this.widths, bandText(values));
    const tau = short(values.noise_variance);
    setText(
      this.meaning,
      `The band is ± 2 predictive standard deviations around the mean. Predictive variance = τ⁻¹ + the ` +
        `sample variance of the ${values.settings.T} passes (of the ${values.members} members for the ` +
        `ensemble), with τ⁻¹ = ${tau}, the variance of the noise in the page's points: variances add, ` +
        `standard deviations do not.`,
    );
  }
}

function cell(tag: "td" | "th", text: string, attributes: Record<string, string> = {}): HTMLElement {
  return html(tag, attributes, text);
}

export class NumbersTable {
  readonly element: HTMLElement;
  private readonly bandBody: HTMLElement;
  private readonly curveBody: HTMLElement;
  private readonly curveCaption: HTMLElement;

  constructor() {
    this.bandBody = html("tbody", {});
    this.curveBody = html("tbody", {});
    this.curveCaption = html("caption", {});
    const head = (...names: string[]): HTMLElement =>
      html("thead", {}, html("tr", {}, ...names.map((name) => cell("th", name, { scope: "col" }))));
    this.element = html(
      "details",
      { class: "mc-numbers" },
      html("summary", {}, "The numbers"),
      scrollBox(
        html(
          "div",
          { class: "pg-table-wrap mc-table-wrap" },
          html(
            "table",
            { class: "pg-data-table mc-table", "data-readout": "band-table" },
            html(
              "caption",
              {},
              "Mean band width (± 2 predictive sd) over the parts of the curve in each region; " +
                "— where there are none.",
            ),
            head("Region", "MC dropout", "Ensemble"),
            this.bandBody,
          ),
        ),
        "Band widths by region",
      ),
      scrollBox(
        html(
          "div",
          { class: "pg-table-wrap mc-table-wrap" },
          html(
            "table",
            { class: "pg-data-table mc-table", "data-readout": "curve-table" },
            this.curveCaption,
            head("x", "MC mean", "MC sd", "Ensemble mean", "Ensemble sd"),
            this.curveBody,
          ),
        ),
        "Both fits along x",
      ),
    );
  }

  update({ values, arrays }: McFrame): void {
    this.bandBody.replaceChildren(
      ...REGIONS.map((region) =>
        html(
          "tr",
          { "data-region": region },
          cell("th", REGION_TEXT[region], { scope: "row" }),
          ...(["mc", "ensemble"] as const).map((method) => cell("td", width(values.band[method][region]))),
        ),
      ),
    );
    setText(
      this.curveCaption,
      `The curves at every ${TABLE_EVERY}th x: mean and predictive sd of ${METHOD_TEXT.mc} ` +
        `(T = ${values.settings.T}) and of the ${values.members}-network ensemble.`,
    );
    const rows: HTMLElement[] = [];
    for (let i = 0; i < arrays.curveX.length; i += TABLE_EVERY) {
      const value = (array: Float32Array): HTMLElement => cell("td", fixed(array[i] ?? 0, 3));
      rows.push(
        html(
          "tr",
          { "data-index": i },
          cell("th", fixed(arrays.curveX[i] ?? 0, 1), { scope: "row" }),
          value(arrays.mcMean),
          value(arrays.mcSd),
          value(arrays.ensembleMean),
          value(arrays.ensembleSd),
        ),
      );
    }
    this.curveBody.replaceChildren(...rows);
  }
}
