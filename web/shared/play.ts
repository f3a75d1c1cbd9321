// Play: training chunks at a chosen speed, two requests in flight, so that the server trains the next
// chunk while the browser draws the last one. The steps asked for follow a clock: the speed times the
// time played, less the steps already shown or on their way; a slow server or a hidden tab never makes
// Play race to catch up later (BACKLOG_SECONDS), and it never asks for more than one chunk's worth.

import type { Commands, Outcome } from "../shared/commands";

const IN_FLIGHT = 2;
const BACKLOG_SECONDS = 0.5;
// Each request waits this long after the one before it from the same worker: with two in flight, at most
// 90 a second, under the server's limit of 100 messages a second.
const MIN_INTERVAL_MS = (IN_FLIGHT * 1000) / 90;

export class PlayLoop {
  running = false;
  private generation = 0;
  private start = 0;
  private startSteps = 0;
  private requested = 0; // steps asked for and not yet answered

  constructor(
    private readonly commands: Commands,
    private readonly stepsShown: () => number,
    private readonly rate: () => number,
    private readonly maxChunk: () => number,
    private readonly room: () => number,
    private readonly onChange: (running: boolean, outcome?: Outcome) => void,
  ) {}

  /** Count from now: after a reset, or a change of speed. */
  rebase(): void {
    this.start = performance.now();
    this.startSteps = this.stepsShown();
  }

  play(): void {
    if (this.running) return;
    this.running = true;
    this.requested = 0;
    this.rebase();
    this.onChange(true);
    const generation = ++this.generation;
    for (let i = 0; i < IN_FLIGHT; i++) void this.worker(generation);
  }

  stop(outcome?: Outcome): void {
    if (!this.running) return;
    this.running = false;
    this.generation++;
    this.onChange(false, outcome);
  }

  private owed(): number {
    const rate = this.rate();
    let owed = (rate * (performance.now() - this.start)) / 1000 - (this.stepsShown() - this.startSteps) - this.requested;
    if (owed > rate * BACKLOG_SECONDS) {
      this.rebase();
      owed = rate * (MIN_INTERVAL_MS / 1000);
    }
    return owed;
  }

  private async worker(generation: number): Promise<void> {
    while (generation === this.generation) {
      const sent = performance.now();
      // Never ask beyond the figure's cap: the frame that reaches it stops Play.
      const room = this.room() - this.requested;
      if (room <= 0) return;
      const steps = Math.min(this.maxChunk(), room, Math.max(1, Math.ceil(this.owed())));
      this.requested += steps;
      let outcome: Outcome;
      try {
        outcome = await this.commands.send({ type: "train", steps });
      } finally {
        this.requested -= steps;
      }
      if (generation !== this.generation) return;
      if (outcome === "lost") {
        // Play stays on while the server is away, and carries on from the steps the new session shows.
        await this.commands.whenConnected();
        this.rebase();
        continue;
      }
      if (outcome !== "frame") return this.stop(outcome);
      const wait = MIN_INTERVAL_MS - (performance.now() - sent);
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}
