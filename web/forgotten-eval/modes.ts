// One column per way of asking the network: its answers for the inputs A–D (both class probabilities as
// bars, with their numbers; MC dropout adds the spread of its T passes), its reliability diagram on the
// test set, and the diagram's three numbers. New answers replace the old ones at once: no tweening, so
// that train mode's flicker is plain to see and nothing moves that the student did not ask for.

import { html, setAttr, setText } from "../shared/dom";
import { classColour, css, type Palette } from "../shared/palette";
import { ReliabilityDiagram } from "./reliability";
import { fixed3, MODE_TEXT, type ForgottenEvalValues, type Mode, type Probe } from "./types";

const CLASSES = 2;

interface Bar {
  fill: HTMLElement;
  number: HTMLElement;
}

interface ProbeRow {
  item: HTMLLIElement;
  name: HTMLElement;
  bars: Bar[];
  spread: HTMLElement | null;
  whisker: HTMLElement | null;
}

function note(mode: Mode, values: ForgottenEvalValues): string {
  if (mode === "train") return "Dropout left on: one pass, a different sub-network at every draw.";
  if (mode === "eval") return "Dropout off: every unit, one pass; the same answer every time.";
  return `Dropout left on on purpose: the mean of T = ${values.settings.T} passes, each a different sub-network.`;
}

export class ModeColumn {
  readonly element: HTMLElement;
  private readonly note: HTMLElement;
  private readonly probeList: HTMLOListElement;
  private rows: ProbeRow[] = [];
  private readonly diagram: ReliabilityDiagram;
  private readonly ece: HTMLElement;
  private readonly accuracy: HTMLElement;
  private readonly confidence: HTMLElement;

  constructor(
    private readonly mode: Mode,
    private readonly palette: Palette,
  ) {
    const { title } = MODE_TEXT[mode];
    this.note = html("p", { class: "fe-mode-note" });
    this.probeList = html("ol", { class: "fe-probes", "aria-label": `${title}: the inputs A to D` });
    this.diagram = new ReliabilityDiagram(title);
    const value = (name: string): HTMLElement => html("dd", { class: "pg-number", "data-readout": name }, "–");
    this.ece = value("ece");
    this.accuracy = value("accuracy");
    this.confidence = value("mean-confidence");
    const pair = (label: string, shown: HTMLElement): HTMLElement =>
      html("div", { class: "fe-stat" }, html("dt", {}, label), shown);
    this.element = html(
      "section",
      { class: "fe-mode", "data-mode": mode, "aria-label": title },
      html("h3", { class: "fe-mode-title" }, title),
      this.note,
      this.probeList,
      this.diagram.element,
      html(
        "dl",
        { class: "fe-stats", "aria-live": "polite", "aria-label": `${title} on the test set` },
        pair("ECE", this.ece),
        pair("Accuracy", this.accuracy),
        pair("Mean confidence", this.confidence),
      ),
    );
  }

  update(values: ForgottenEvalValues): void {
    setText(this.note, note(this.mode, values));
    if (this.rows.length !== values.probes.length) this.build(values.probes);
    values.probes.forEach((probe, i) => {
      const row = this.rows[i];
      if (row) this.showProbe(row, probe);
    });
    const reliability = values.modes[this.mode];
    this.diagram.update(values, reliability);
    setText(this.ece, fixed3(reliability.ece));
    setText(this.accuracy, fixed3(reliability.overall_accuracy));
    setText(this.confidence, fixed3(reliability.mean_confidence));
  }

  destroy(): void {
    this.diagram.destroy();
  }

  private showProbe(row: ProbeRow, probe: Probe): void {
    const answer = probe[this.mode];
    setText(row.name, probe.name);
    setAttr(row.item, "data-probe", probe.name);
    row.bars.forEach((bar, c) => {
      const probability = answer[c] ?? 0;
      setText(bar.number, fixed3(probability));
      bar.fill.style.width = `${(probability * 100).toFixed(2)}%`;
    });
    if (row.spread && row.whisker) {
      // The spread belongs to the second class's probability, the bar it is drawn on.
      const mean = answer[1] ?? 0;
      setText(row.spread, `±${fixed3(probe.mc_spread)}`);
      const from = Math.max(0, mean - probe.mc_spread);
      const to = Math.min(1, mean + probe.mc_spread);
      row.whisker.style.left = `${(from * 100).toFixed(2)}%`;
      row.whisker.style.width = `${((to - from) * 100).toFixed(2)}%`;
    }
  }

  private build(probes: Probe[]): void {
    this.rows = probes.map(() => {
      const name = html("span", { class: "fe-probe-name" });
      let spread: HTMLElement | null = null;
      let whisker: HTMLElement | null = null;
      const bars: Bar[] = [];
      const lines = Array.from({ length: CLASSES }, (_, c) => {
        const colour = css(classColour(this.palette, c));
        const fill = html("span", { class: "fe-fill", style: `background:${colour}` });
        const track = html("span", { class: "fe-track", "aria-hidden": "true" }, fill);
        const number = html("span", { class: "fe-bar-number", "data-class": c + 1 });
        bars.push({ fill, number });
        const line = html(
          "span",
          { class: "fe-bar-line", "data-class": c + 1 },
          html("span", { class: "fe-hidden" }, `Class ${c + 1}: `),
          track,
          number,
        );
        if (this.mode === "mc" && c === CLASSES - 1) {
          whisker = html("span", { class: "fe-whisker" });
          track.append(whisker);
          spread = html("span", { class: "fe-spread", "data-readout": "spread" });
          line.append(spread);
        }
        return line;
      });
      const item = html("li", { class: "fe-probe" }, name, html("span", { class: "fe-probe-bars" }, ...lines));
      return { item, name, bars, spread, whisker };
    });
    this.probeList.replaceChildren(...this.rows.map((row) => row.item));
  }
}
