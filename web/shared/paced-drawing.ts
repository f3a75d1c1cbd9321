// Frames can come faster than the eye needs while a figure trains flat out: the newest is drawn a little
// over 30 times a second (a timer's lateness then never takes the rate below 30), so that answering the
// server (and asking for the next chunk) never waits for the drawing, and the drawing leaves the processor
// to the training. A timer, not the display's frames: at 60 Hz every second display frame would often
// become every third, 20 a second, whenever one drawing ran late.

const DRAW_INTERVAL_MS = 1000 / 32;

export class PacedDrawing {
  private pending: ReturnType<typeof setTimeout> | undefined;
  private lastDrawn = -Infinity;

  constructor(private readonly draw: () => void) {}

  /** Draw the newest frame at the next turn of the timer (at once if the last drawing is old enough). */
  schedule(): void {
    if (this.pending !== undefined) return;
    const wait = Math.max(0, DRAW_INTERVAL_MS - (performance.now() - this.lastDrawn));
    this.pending = setTimeout(() => this.drawNow(), wait);
  }

  /** Draw now, instead of any drawing scheduled. */
  drawNow(): void {
    this.cancel();
    this.lastDrawn = performance.now();
    this.draw();
  }

  cancel(): void {
    clearTimeout(this.pending);
    this.pending = undefined;
  }
}
