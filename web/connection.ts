// The page's one notice about its server. Every figure's socket reports here when it is lost and when it
// is open again; the page says once that the server is gone (one polite live region, not one per
// figure), asks the server twice a second whether it is back, and at once when the student returns to
// the tab, touches the page or presses Retry now. As soon as it answers, the figures in view reconnect,
// and the others once those are drawn: a new server builds every figure at once otherwise, and the one
// the student is looking at would wait for all of them.

import { html, setText } from "./shared/dom";

// Twice a second for the first minutes, so that a restarted server has the page back within a second;
// then every few seconds, as a page left open overnight should. The student's return is always at once.
const PROBE_EVERY_MS = 500;
const PROBE_SLOWLY_AFTER_MS = 3 * 60_000;
const SLOW_PROBE_EVERY_MS = 5_000;
const PROBE_TIMEOUT_MS = 3_000;
const RESTORED_SHOWN_MS = 4_000;
const HOLD_AT_MOST_MS = 2_000; // figures out of view reconnect by then, drawn or not those in view

const LOST_TEXT =
  "The connection to the playground server was lost. Is dropout-playground still running? " +
  "The figures come back by themselves as soon as it answers.";
const STILL_LOST_TEXT =
  "The playground server still does not answer. Is dropout-playground still running? " +
  "The figures come back by themselves as soon as it answers.";
const RESTORED_TEXT = "Connection restored: the playground server is back, and the figures carry on where they were.";

/** A figure's connection, as the page's notice sees it. */
export interface Reconnecting {
  /** Open the connection again, unless it is already opening; `now` skips any wait of its own. */
  reconnect(now: boolean): void;
  /** Whether the student can see the figure now. */
  inView(): boolean;
}

export class ServerConnection {
  readonly element: HTMLElement;
  private readonly text: HTMLElement;
  private readonly retryButton: HTMLButtonElement;
  private readonly lost = new Set<Reconnecting>();
  private lostSince = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private hideTimer: ReturnType<typeof setTimeout> | null = null;
  private probing = false;
  private askedByStudent = false;
  private saysLost = false;
  // While the figures in view are built again, the others wait (at most HOLD_AT_MOST_MS).
  private readonly inViewFirst = new Set<Reconnecting>();
  private readonly held = new Set<Reconnecting>();
  private holdTimer: ReturnType<typeof setTimeout> | null = null;

  /** `probeAddress`: a small file of the server's, which answers as soon as the server is back. */
  constructor(private readonly probeAddress: string) {
    // The live region is on the page from the start, empty, so that its first sentence is announced.
    this.text = html("p", { class: "connection-text", role: "status" });
    this.retryButton = html("button", { type: "button", class: "pg-button connection-retry", hidden: true }, "Retry now");
    this.element = html(
      "aside",
      { class: "connection-notice", "aria-label": "Connection to the playground server" },
      this.text,
      this.retryButton,
    );
    this.retryButton.addEventListener("click", () => this.retry(true));
    addEventListener("focus", () => this.retry(false));
    addEventListener("online", () => this.retry(false));
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible") this.retry(false);
    });
    // Touching anything, a disabled control included, says the student is back: try now.
    document.addEventListener("pointerdown", () => this.retry(false), true);
    document.addEventListener("keydown", () => this.retry(false), true);
  }

  /** A figure's connection went away. */
  lostBy(figure: Reconnecting): void {
    this.lost.add(figure);
    if (!this.saysLost) {
      this.saysLost = true;
      this.lostSince = performance.now();
      this.show(LOST_TEXT, true);
    }
    if (!this.probing && this.timer === null) this.schedule();
  }

  /** A figure drew the first frame of its session. */
  drawnBy(figure: Reconnecting): void {
    if (this.inViewFirst.delete(figure) && this.inViewFirst.size === 0) this.release();
  }

  /** A figure's connection is open (again). The server is back once every figure that is not waiting
   * its turn (see `reconnect`) has its connection open again. */
  openedBy(figure: Reconnecting): void {
    if (!this.lost.delete(figure) || ![...this.lost].every((other) => this.held.has(other))) return;
    this.stopProbing();
    if (!this.saysLost) return;
    this.saysLost = false;
    this.show(RESTORED_TEXT, false);
    this.hideTimer = setTimeout(() => this.show("", false), RESTORED_SHOWN_MS);
  }

  private show(text: string, offline: boolean): void {
    if (this.hideTimer !== null) clearTimeout(this.hideTimer);
    this.hideTimer = null;
    setText(this.text, text);
    this.retryButton.hidden = !offline;
    if (text) this.element.dataset.state = offline ? "lost" : "restored";
    else delete this.element.dataset.state;
  }

  private retry(byStudent: boolean): void {
    if (!this.saysLost) return;
    if (byStudent) this.askedByStudent = true;
    void this.probe();
  }

  private schedule(): void {
    const slowly = document.visibilityState === "hidden" || performance.now() - this.lostSince > PROBE_SLOWLY_AFTER_MS;
    this.timer = setTimeout(() => void this.probe(), slowly ? SLOW_PROBE_EVERY_MS : PROBE_EVERY_MS);
  }

  private stopProbing(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.askedByStudent = false;
  }

  /** One question to the server at a time; if it answers, every lost figure reconnects at once. */
  private async probe(): Promise<void> {
    if (this.probing) return;
    this.probing = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    let back = false;
    try {
      const response = await fetch(this.probeAddress, {
        method: "HEAD",
        cache: "no-store",
        signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
      });
      back = response.ok;
    } catch {
      back = false;
    }
    this.probing = false;
    if (![...this.lost].some((figure) => !this.held.has(figure))) return;
    const byStudent = this.askedByStudent;
    this.askedByStudent = false;
    if (back) {
      this.reconnect(byStudent);
    } else if (byStudent) {
      this.show(STILL_LOST_TEXT, true);
    }
    // Until every figure has reported its connection open, keep asking: one may fail again.
    this.schedule();
  }

  /** Reconnect the lost figures: those in view first, unless the student asked for all of them now. */
  private reconnect(now: boolean): void {
    if (now) this.release();
    let waiting = [...this.lost].filter((figure) => !this.held.has(figure));
    if (this.held.size === 0 && !now) {
      const seen = waiting.filter((figure) => figure.inView());
      if (seen.length > 0 && seen.length < waiting.length) {
        for (const figure of waiting) if (!seen.includes(figure)) this.held.add(figure);
        for (const figure of seen) this.inViewFirst.add(figure);
        this.holdTimer = setTimeout(() => this.release(), HOLD_AT_MOST_MS);
        waiting = seen;
      }
    }
    for (const figure of waiting) figure.reconnect(now);
  }

  private release(): void {
    if (this.holdTimer !== null) clearTimeout(this.holdTimer);
    this.holdTimer = null;
    this.inViewFirst.clear();
    const held = [...this.held];
    this.held.clear();
    for (const figure of held) if (this.lost.has(figure)) figure.reconnect(false);
    // One that could not go yet (it failed again and again) is tried with the next question to the server.
    if (!this.probing && this.timer === null && this.lost.size > 0) this.schedule();
  }
}
