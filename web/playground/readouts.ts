// The numbers under the figure: the counters and the prediction for the probe, each read straight from
// the frame. They change with every mask, so they are not live regions themselves: one sentence with the
// prediction first and then the counters is read out when the masks pause (see Announcer).

import { Announcer } from "../shared/announcer";
import { html, setAttr, setText } from "../shared/dom";
import { classColour, css, type Palette } from "../shared/palette";
import type { PlaygroundFrame, PlaygroundValues } from "./types";

const COUNTERS = [
  ["layer-1", "Layer 1 alive"],
  ["layer-2", "Layer 2 alive"],
  ["edges", "Active edges"],
  ["scale", "Train-time scale"],
] as const;

type CounterName = (typeof COUNTERS)[number][0];

export const STEPS_FORMAT = new Intl.NumberFormat("en-US");

export class Counters {
  readonly element: HTMLElement;
  private readonly values = new Map<CounterName, HTMLElement>();

  constructor() {
    this.element = html("div", { class: "pg-counters", role: "group", "aria-label": "Counters" });
    for (const [name, label] of COUNTERS) {
      const value = html("span", { class: "pg-counter-value", "data-counter": name }, "–");
      this.values.set(name, value);
      const caption = html("span", { class: "pg-counter-label" }, `${label}:`);
      this.element.append(html("span", { class: "pg-counter" }, caption, " ", value));
    }
  }

  update({ values }: PlaygroundFrame): void {
    const [h1, h2] = values.settings.hidden;
    const show = (name: CounterName, text: string): void => {
      const element = this.values.get(name);
      if (element) setText(element, text);
    };
    show("layer-1", `${values.alive[0]}/${h1}`);
    show("layer-2", `${values.alive[1]}/${h2}`);
    show("edges", `${values.active_edges}/${values.total_edges}`);
    show("scale", values.scale_text);
  }
}

interface Bar {
  row: HTMLElement;
  fill: HTMLElement;
  number: HTMLElement;
}

export class Prediction {
  readonly element: HTMLElement;
  private readonly where: HTMLElement;
  private readonly source: HTMLElement;
  private readonly list: HTMLElement;
  private readonly accuracy: HTMLElement;
  private bars: Bar[] = [];
  private readonly announcer = new Announcer({ "data-readout": "announcement" });

  constructor(private readonly palette: Palette) {
    this.where = html("span", { class: "pg-probe-at", "data-readout": "probe" });
    this.source = html("span", { class: "pg-source", "data-readout": "source" });
    this.list = html("ol", { class: "pg-bars", "data-readout": "prediction", "aria-label": "Class probabilities" });
    this.accuracy = html("span", { class: "pg-number", "data-readout": "accuracy" });
    this.element = html(
      "div",
      { class: "pg-prediction" },
      html(
        "p",
        { class: "pg-prediction-head" },
        html("strong", {}, "Prediction"),
        " at the probe ",
        this.where,
        " · ",
        this.source,
      ),
      this.list,
      html("p", { class: "pg-meta" }, "Test accuracy of the full network (eval): ", this.accuracy),
      this.announcer.element,
    );
  }

  update({ values }: PlaygroundFrame): void {
    this.announcer.say(spoken(values));
    const classes = values.prediction.length;
    if (this.bars.length !== classes) this.build(classes);
    const [x, y] = values.settings.probe;
    setText(this.where, `(${x.toFixed(2)}, ${y.toFixed(2)})`);
    setText(this.source, values.settings.mode === "train" ? "this sub-network" : "full network (eval)");
    values.prediction.forEach((probability, c) => {
      const bar = this.bars[c];
      if (!bar) return;
      setText(bar.number, probability.toFixed(3));
      bar.fill.style.width = `${(probability * 100).toFixed(1)}%`;
      bar.row.classList.toggle("is-predicted", c === values.predicted_class);
    });
    setText(this.accuracy, `${(values.test_accuracy * 100).toFixed(1)}%`);
  }

  private build(classes: number): void {
    this.bars = Array.from({ length: classes }, (_, c) => {
      const colour = css(classColour(this.palette, c));
      const fill = html("span", { class: "pg-bar-fill", style: `background:${colour}` });
      const number = html("span", { class: "pg-bar-number" });
      const row = html(
        "li",
        { class: "pg-bar-row" },
        html("span", { class: "pg-swatch", style: `background:${colour}`, "aria-hidden": "true" }),
        html("span", { class: "pg-bar-name" }, `Class ${c + 1}`),
        html("span", { class: "pg-bar-track", "aria-hidden": "true" }, fill),
        number,
      );
      setAttr(row, "data-class", c + 1);
      return { row, fill, number };
    });
    this.list.replaceChildren(...this.bars.map((bar) => bar.row));
  }
}

/** What a screen reader says of a frame: the prediction at the probe, then the counters. */
function spoken(values: PlaygroundValues): string {
  const [h1, h2] = values.settings.hidden;
  const network = values.settings.mode === "train" ? "this sub-network" : "the full network (eval)";
  const c = values.predicted_class;
  return (
    `Prediction of ${network} at the probe: class ${c + 1}, probability ${(values.prediction[c] ?? 0).toFixed(3)}. ` +
    `Alive: ${values.alive[0]} of ${h1} units in layer 1, ${values.alive[1]} of ${h2} in layer 2; ` +
    `${values.active_edges} of ${values.total_edges} edges active; train-time scale ${values.scale_text}.`
  );
}
