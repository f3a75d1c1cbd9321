// A polite live region for numbers that change with every frame. A figure that animates (Auto-resample,
// live training, a slider being dragged) would otherwise be a constant stream of speech: here a sentence
// is read once the frames pause, and no more often than every few seconds while they keep coming.

import { html, setText } from "./dom";

/** Longer than the slowest animation's interval (one mask a second), so a running loop never pauses. */
const QUIET_MS = 1200;
/** While frames keep coming, the newest sentence is still read this often, so a long run is not silent. */
const RUNNING_MS = 5000;

export class Announcer {
  readonly element: HTMLElement;
  private said: string | null = null;
  private waiting: string | null = null;
  private quiet: ReturnType<typeof setTimeout> | null = null;
  private running: ReturnType<typeof setTimeout> | null = null;

  constructor(attributes: Record<string, string> = {}) {
    this.element = html("p", {
      class: "visually-hidden",
      "aria-live": "polite",
      "aria-atomic": "true",
      ...attributes,
    });
  }

  /** The sentence for the newest frame. The first is what the figure opens with: it is not read out. */
  say(text: string): void {
    if (this.said === null) {
      this.said = text;
      return;
    }
    this.waiting = text;
    if (this.quiet !== null) clearTimeout(this.quiet);
    this.quiet = setTimeout(() => this.speak(), QUIET_MS);
    this.running ??= setTimeout(() => this.speak(), RUNNING_MS);
  }

  private speak(): void {
    for (const timer of [this.quiet, this.running]) if (timer !== null) clearTimeout(timer);
    this.quiet = this.running = null;
    const text = this.waiting;
    this.waiting = null;
    if (text === null || text === this.said) return;
    this.said = text;
    setText(this.element, text);
  }
}
