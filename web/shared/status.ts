// One polite status line inside the figure: the server's objections and the long work it is doing for
// the figure, announced by screen readers without interrupting, and never a dialog. (A lost connection
// is the page's to announce, once: see connection.ts.)

import { html } from "./dom";

const ERROR_SECONDS = 10;
const NOTE_SECONDS = 4;

export class Status {
  readonly element: HTMLElement;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor() {
    this.element = html("p", { class: "pg-status", role: "status", "data-readout": "status" });
  }

  error(text: string): void {
    this.show(text, "error", ERROR_SECONDS);
  }

  note(text: string): void {
    this.show(text, "note", NOTE_SECONDS);
  }

  /** Stays until `done()`: said once, while the figure is being built. */
  working(text: string): void {
    this.show(text, "working", null);
  }

  /** The work `working()` announced is over: its sentence goes (any other message stays). */
  done(): void {
    if (this.element.dataset.kind === "working") this.show("", "", 0);
  }

  private show(text: string, kind: string, seconds: number | null): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.element.textContent = text;
    if (kind) this.element.dataset.kind = kind;
    else delete this.element.dataset.kind;
    if (seconds) {
      this.timer = setTimeout(() => {
        this.element.textContent = "";
        delete this.element.dataset.kind;
      }, seconds * 1000);
    }
  }
}
