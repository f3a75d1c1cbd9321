// One polite status line inside the figure: the server's objections and the state of the connection,
// announced by screen readers without interrupting, and never a dialog.

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

  /** Stays until the connection is back. */
  offline(text: string): void {
    this.show(text, "offline", null);
  }

  private show(text: string, kind: string, seconds: number | null): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.element.textContent = text;
    this.element.dataset.kind = kind;
    if (seconds !== null) {
      this.timer = setTimeout(() => {
        this.element.textContent = "";
        delete this.element.dataset.kind;
      }, seconds * 1000);
    }
  }
}
