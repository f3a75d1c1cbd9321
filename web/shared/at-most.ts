// A costly part of a drawing redrawn less often than the rest while a figure trains flat out: a chart of
// curves that grow by a few points a frame looks the same at 15 redraws a second as at 30, and its axes'
// text is the dearest thing the page paints in software.

/** How often a training figure's charts are redrawn while training runs; the rest of it, 30 times a second. */
export const CHARTS_PER_SECOND_WHILE_TRAINING = 15;

export class AtMost {
  private last = -Infinity;

  constructor(private readonly perSecond: number) {}

  /** Whether the part is due now: always when `always`, else when 1/perSecond has passed since the last. */
  due(always: boolean): boolean {
    const now = performance.now();
    if (!always && now - this.last < 1000 / this.perSecond) return false;
    this.last = now;
    return true;
  }
}
