// Play: the server trains the figure at the chosen speed. The page sends "play" with a rate (steps a
// second) once, and "pause" to stop; meanwhile the server trains chunk after chunk, with no round trip to the
// page between them, and sends about 30 frames a second. Every frame of a figure that plays says whether
// it is playing, so Play follows the server: it stops when the server stops by itself (at the figure's cap,
// or on a run that diverges, which comes as an error under the play command's id). While the connection is
// lost Play stays on; the new session plays again as soon as it opens.

import type { HostMessage, WidgetModel } from "../model";
import type { Frame } from "../wire";
import type { Commands, Outcome } from "./commands";

export class PlayLoop {
  running = false;
  private playId: number | null = null;
  // The server has answered the last "play": from then on a frame that says it is not playing means it
  // stopped by itself (a new session's first frame, before its "play", does not count).
  private confirmed = false;
  // This view has stopped (or asked the figure to): frames built before the figure stopped still say it plays,
  // until one says it does not.
  private stopping = false;

  private readonly onFrame = (): void => {
    const frame = this.model.get("frame") as Frame | undefined;
    if (frame?.playing === false) this.stopping = false;
    if (this.running && this.confirmed && frame?.playing === false) this.stop("frame", false);
    // Another view of the same figure set it playing (a notebook can show one widget in several cells): this
    // view shows it playing too, and can pause it.
    else if (!this.running && !this.stopping && frame?.playing === true) this.follow();
  };

  private readonly onMessage = (message: HostMessage): void => {
    if (!this.running) return;
    if (message.type === "error" && message.id !== null && message.id === this.playId) {
      // After the view's own listeners, which say what went wrong before Play says it stopped.
      queueMicrotask(() => this.stop("error", false));
    }
    if (message.type === "connection") {
      this.confirmed = false;
      if (message.status === "open") void this.ask();
    }
  };

  constructor(
    private readonly commands: Commands,
    private readonly model: WidgetModel,
    private readonly rate: () => number,
    private readonly onChange: (running: boolean, outcome?: Outcome) => void,
  ) {
    model.on("change:frame", this.onFrame);
    model.on("msg:custom", this.onMessage);
  }

  /** Stop, and listen no more: the view is going away. */
  dispose(): void {
    this.stop();
    this.model.off?.("change:frame", this.onFrame);
    this.model.off?.("msg:custom", this.onMessage);
  }

  play(): void {
    if (this.running) return;
    this.running = true;
    this.onChange(true);
    void this.ask();
  }

  /** A new speed: the server counts from now at the new rate. */
  rebase(): void {
    if (this.running) void this.ask();
  }

  /** Stop; `tell` is false when the server has stopped already. */
  stop(outcome?: Outcome, tell = true): void {
    if (!this.running) return;
    this.running = false;
    this.confirmed = false;
    this.playId = null;
    this.stopping = true;
    if (tell) void this.commands.send({ type: "pause" });
    this.onChange(false, outcome);
  }

  private follow(): void {
    this.running = true;
    this.confirmed = true;
    this.onChange(true);
  }

  private async ask(): Promise<void> {
    this.confirmed = false;
    const sent = this.commands.send({ type: "play", rate: Math.round(this.rate()) });
    const id = this.commands.lastId;
    this.playId = id;
    const outcome = await sent;
    if (!this.running || this.playId !== id) return;
    if (outcome === "frame") this.confirmed = true;
    else if (outcome === "error") this.stop("error", false);
    // "lost": Play stays on, and asks again when the connection opens.
  }
}
