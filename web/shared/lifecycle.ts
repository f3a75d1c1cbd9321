// What every figure's element goes through, the same way in every figure: connecting, being built (with
// progress when that takes a while), frames drawn, the server lost and back.

import type { HostMessage, ProgressMessage, WidgetModel } from "../model";
import { html, setText } from "./dom";
import type { Status } from "./status";

const CONTROLS = "button, input, select, textarea";

export class FigureLifecycle {
  /** Covers the figure while it connects, while it is built and while it is offline (style.css shows it
   * then); the view places it over its drawing. Hidden from screen readers: the figure's status line says
   * what it is working on, and the page's notice that the server is gone. */
  readonly notice: HTMLElement;
  private readonly noticeText: HTMLElement;
  private readonly bar: HTMLElement;
  private readonly title: string;
  private framesDrawn = 0;
  private markedBusy = false; // aria-busy is this lifecycle's (a view may mark its own work too)
  private building = false; // a session is open and its first frame is yet to come
  private working = ""; // what the status line said the server is doing
  // Controls this figure disabled while offline, and the one that had the focus then.
  private readonly disabled = new Set<HTMLInputElement | HTMLButtonElement | HTMLSelectElement | HTMLTextAreaElement>();
  private focused: HTMLElement | null = null;
  private readonly guard: MutationObserver;

  constructor(
    private readonly el: HTMLElement,
    private readonly status: Status,
    model: WidgetModel,
  ) {
    const title = model.get("title");
    this.title = typeof title === "string" ? title : "the figure";
    this.noticeText = html("span", { class: "pg-notice-message" }, `Connecting to ${this.title}…`);
    this.bar = html("span", { class: "pg-notice-bar" });
    const track = html("span", { class: "pg-notice-track" }, this.bar);
    this.notice = html(
      "div",
      { class: "pg-notice", "aria-hidden": "true" },
      html("span", { class: "pg-notice-text" }, this.noticeText, track),
    );
    el.classList.add("is-connecting");
    this.busy(true);
    // A view may enable a control of its own accord while offline (a late answer, a loop that ended):
    // it stays disabled until the connection is back.
    this.guard = new MutationObserver(() => this.disableControls());
    model.on("msg:custom", (message: HostMessage) => this.hostMessage(message));
  }

  /** While offline the page's notice says what is wrong, and what happens next. */
  get offline(): boolean {
    return this.el.classList.contains("is-offline");
  }

  /** A frame was drawn: counted on the element, so that a test (or a curious reader) can wait for the next. */
  frameDrawn(): void {
    this.building = false;
    this.el.classList.remove("is-connecting", "is-working");
    this.busy(false);
    if (this.working) this.status.done();
    this.working = "";
    this.el.dataset.frames = String(++this.framesDrawn);
  }

  private hostMessage(message: HostMessage): void {
    if (message.type === "progress") return this.progress(message);
    if (message.type !== "connection") return;
    if (message.status === "lost") return this.lost();
    this.building = true;
    if (this.framesDrawn === 0) setText(this.noticeText, `Preparing ${this.title}…`);
    this.online();
  }

  private progress(message: ProgressMessage): void {
    if (!this.building) return;
    const percent = Math.min(99, Math.floor(message.fraction * 100));
    setText(this.noticeText, `${message.message}… ${percent} %`);
    this.bar.style.width = `${percent}%`;
    // A figure rebuilt after a reconnection shows the notice again: what is drawn is not yet what comes.
    this.el.classList.add("is-connecting", "is-working");
    this.busy(true);
    // Said once, not at every percent.
    const sentence = `${message.message}…`;
    if (sentence !== this.working) this.status.working(sentence);
    this.working = sentence;
  }

  private lost(): void {
    this.building = false;
    this.el.classList.add("is-offline");
    this.el.classList.remove("is-working");
    setText(this.noticeText, "Waiting for the server…");
    const active = document.activeElement;
    this.focused = active instanceof HTMLElement && this.el.contains(active) ? active : null;
    this.disableControls();
    this.guard.observe(this.el, { subtree: true, attributeFilter: ["disabled"] });
  }

  private online(): void {
    if (!this.offline) return;
    this.guard.disconnect();
    this.el.classList.remove("is-offline");
    for (const control of this.disabled) control.disabled = false;
    this.disabled.clear();
    if (this.focused && (document.activeElement === null || document.activeElement === document.body)) {
      this.focused.focus();
    }
    this.focused = null;
    if (this.framesDrawn > 0) this.el.classList.remove("is-connecting");
  }

  private busy(on: boolean): void {
    if (on) this.el.setAttribute("aria-busy", "true");
    else if (this.markedBusy) this.el.removeAttribute("aria-busy");
    this.markedBusy = on;
  }

  /** Nothing a student does while offline can reach the server: every control waits for it. */
  private disableControls(): void {
    for (const control of this.el.querySelectorAll<HTMLInputElement>(CONTROLS)) {
      if (control.disabled) continue;
      control.disabled = true;
      this.disabled.add(control);
    }
  }
}
