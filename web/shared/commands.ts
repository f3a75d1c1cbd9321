// Pacing: the view asks for frames no faster than it can use them. Every command is answered by one
// frame or one error; a command counts as answered when a frame or error with its id or a later id
// arrives (the server may skip a frame that a newer one made stale, never the newest). While the
// connection is lost nothing is sent, and a running loop waits for it to open again, then carries on.

import type { HostMessage, WidgetModel } from "../model";
import type { Frame } from "../wire";

/** A command to a figure: a "type" and the fields that figure's protocol defines for it. */
export type Command = { type: string } & Record<string, unknown>;

/** How a command ended: its frame arrived, the server refused it, or the connection went away (or was
 * away when it was to be sent: then it was not sent at all). */
export type Outcome = "frame" | "error" | "lost";

interface Waiter {
  id: number;
  resolve: (outcome: Outcome) => void;
}

export class Commands {
  private nextId = 1;
  private waiters: Waiter[] = [];
  // A notebook's model is always connected; the page's says when it is not.
  private connected = true;
  private reopened: Array<() => void> = [];

  constructor(private readonly model: WidgetModel) {
    model.on("change:frame", () => {
      const frame = model.get("frame") as Frame | undefined;
      if (frame && frame.id !== null) this.settle(frame.id, "frame");
    });
    model.on("msg:custom", (message: HostMessage) => {
      if (message.type === "error" && message.id !== null) this.settle(message.id, "error");
      if (message.type !== "connection") return;
      this.connected = message.status === "open";
      if (message.status === "lost") this.settle(Infinity, "lost");
      else for (const resolve of this.reopened.splice(0)) resolve();
    });
  }

  /** Resolves when the connection is open: at once if it is. */
  whenConnected(): Promise<void> {
    if (this.connected) return Promise.resolve();
    return new Promise((resolve) => this.reopened.push(resolve));
  }

  /** The id of the last command sent. */
  get lastId(): number {
    return this.nextId - 1;
  }

  send(command: Command): Promise<Outcome> {
    if (!this.connected) return Promise.resolve("lost");
    const id = this.nextId++;
    const answered = new Promise<Outcome>((resolve) => this.waiters.push({ id, resolve }));
    this.model.send({ ...command, id });
    return answered;
  }

  private settle(id: number, outcome: Outcome): void {
    const done = this.waiters.filter((waiter) => waiter.id <= id);
    this.waiters = this.waiters.filter((waiter) => waiter.id > id);
    // An earlier command whose frame was skipped was still carried out: it counts as a frame.
    for (const waiter of done) waiter.resolve(waiter.id === id || outcome === "lost" ? outcome : "frame");
  }
}

/**
 * Sends the newest of a stream of values (a slider being dragged, a probe being moved) with at most
 * one command in flight: values that arrive meanwhile replace each other, and only the last is sent.
 */
export class LatestSender {
  private pending: Command | null = null;
  private busy = false;

  constructor(private readonly commands: Commands) {}

  get idle(): boolean {
    return !this.busy && this.pending === null;
  }

  push(command: Command): void {
    this.pending = command;
    if (!this.busy) void this.pump();
  }

  private async pump(): Promise<void> {
    this.busy = true;
    while (this.pending !== null) {
      const command = this.pending;
      this.pending = null;
      await this.commands.send(command);
    }
    this.busy = false;
  }
}

/**
 * Repeats a command while running: the next one goes out once the previous frame has arrived and at
 * least `intervalMs` have passed since it was sent. Stops by itself if the server refuses a command;
 * while the connection is lost it stays on and waits, and carries on once the connection is back.
 */
export class Loop {
  private generation = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private wake: (() => void) | null = null;

  constructor(
    private readonly commands: Commands,
    private readonly command: () => Command,
    private readonly onChange: (running: boolean, outcome?: Outcome) => void,
  ) {}

  running = false;
  intervalMs = 1000;

  start(): void {
    if (this.running) return;
    this.running = true;
    this.onChange(true);
    void this.run(++this.generation);
  }

  stop(outcome?: Outcome): void {
    if (!this.running) return;
    this.running = false;
    this.generation++;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.wake?.();
    this.onChange(false, outcome);
  }

  private async run(generation: number): Promise<void> {
    while (generation === this.generation) {
      const sent = performance.now();
      const outcome = await this.commands.send(this.command());
      if (generation !== this.generation) return;
      if (outcome === "lost") {
        await this.commands.whenConnected();
        continue;
      }
      if (outcome !== "frame") return this.stop(outcome);
      const wait = this.intervalMs - (performance.now() - sent);
      if (wait > 0) await this.sleep(wait);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.wake = resolve;
      this.timer = setTimeout(() => {
        this.timer = null;
        this.wake = null;
        resolve();
      }, ms);
    });
  }
}
