// What every figure's element goes through, the same way in every figure: connecting, frames drawn,
// connection lost and restored.

import type { HostMessage } from "../model";
import { html } from "./dom";
import type { Status } from "./status";

type ConnectionMessage = Extract<HostMessage, { type: "connection" }>;

export class FigureLifecycle {
  /** Covers the figure while it connects and while it is offline (style.css shows it then); the view
   * places it over its drawing. Hidden from screen readers: the status line says the same politely. */
  readonly notice: HTMLElement;
  private readonly noticeText: HTMLElement;
  private framesDrawn = 0;

  constructor(
    private readonly el: HTMLElement,
    private readonly status: Status,
  ) {
    this.noticeText = html("span", { class: "pg-notice-text" }, "Connecting to the playground…");
    this.notice = html("div", { class: "pg-notice", "aria-hidden": "true" }, this.noticeText);
    el.classList.add("is-connecting");
  }

  /** While offline the status line already says what is wrong, and what happens next. */
  get offline(): boolean {
    return this.el.classList.contains("is-offline");
  }

  /** A frame was drawn: counted on the element, so that a test (or a curious reader) can wait for the next. */
  frameDrawn(): void {
    this.el.classList.remove("is-connecting");
    this.el.dataset.frames = String(++this.framesDrawn);
  }

  connection(content: ConnectionMessage): void {
    this.el.classList.toggle("is-offline", content.status === "lost");
    if (content.status === "lost") {
      const reason = content.reason ? ` (${content.reason})` : "";
      const retry = `Trying again in ${content.retryInSeconds} s…`;
      this.status.offline(`Connection to the playground server lost${reason}. ${retry}`);
      this.noticeText.textContent =
        "Connection lost. Is dropout-playground still running? This page reconnects by itself.";
    } else {
      this.status.note("Connection restored.");
    }
  }
}
