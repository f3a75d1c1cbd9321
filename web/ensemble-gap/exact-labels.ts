// Where the labels of the exact averages go on the chart: beside their own dotted line, just above it
// or just below, wherever along it neither label covers a sampled curve, its band, a dotted line or the
// other label. All in CSS pixels of the plot area (origin at its top left).

/** A polyline as drawn: x and y of each point, left to right. */
export interface Trace {
  x: number[];
  y: number[];
}

export interface LabelRequest {
  /** Where its dotted line is drawn. */
  lineY: number;
  width: number;
  height: number;
  /** A line drawn on the axis floor has no room under it. */
  onFloor: boolean;
}

export interface Place {
  left: number;
  top: number;
}

const MARGIN = 4; // from the plot's edges
const CLEAR = 3; // between a label and anything it must not cover
const LINE_HALF = 1.5; // half a dotted line's width
// From its line to the label's near edge: as close as leaves it clear of the line, then a little further.
const OFFSETS = [CLEAR + LINE_HALF + 0.5, 3 * CLEAR + LINE_HALF, 6 * CLEAR];
const STEPS = 12; // places tried along the line

/** The lowest and highest y of a trace between x0 and x1 (the trace straight between its points). */
function span(trace: Trace, x0: number, x1: number): [number, number] | null {
  let low = Infinity;
  let high = -Infinity;
  const take = (y: number): void => {
    if (!Number.isFinite(y)) return;
    low = Math.min(low, y);
    high = Math.max(high, y);
  };
  const { x, y } = trace;
  for (let i = 0; i < x.length; i++) {
    const xi = x[i] ?? NaN;
    const yi = y[i] ?? NaN;
    if (xi >= x0 && xi <= x1) take(yi);
    const xn = x[i + 1];
    const yn = y[i + 1];
    if (xn === undefined || yn === undefined) continue;
    // Where the segment to the next point crosses the box's left and right sides.
    for (const edge of [x0, x1]) {
      if ((xi - edge) * (xn - edge) < 0) take(yi + ((yn - yi) * (edge - xi)) / (xn - xi));
    }
  }
  return low <= high ? [low, high] : null;
}

/**
 * A place for each label, in order; a label with no free place anywhere goes where it covers least
 * (it then still sits by its own line).
 */
export function placeExactLabels(
  labels: LabelRequest[],
  traces: Trace[],
  plotWidth: number,
  plotHeight: number,
): Place[] {
  const placed: Array<[number, number, number, number]> = [];
  const lines = labels.map((label) => label.lineY);
  return labels.map((label) => {
    const { width, height } = label;
    const covered = (left: number, top: number): number => {
      const right = left + width;
      const bottom = top + height;
      let overlap = 0;
      const against = (low: number, high: number): void => {
        overlap += Math.max(0, Math.min(bottom + CLEAR, high) - Math.max(top - CLEAR, low));
      };
      for (const trace of traces) {
        const seen = span(trace, left - CLEAR, right + CLEAR);
        if (seen) against(seen[0] - LINE_HALF, seen[1] + LINE_HALF);
      }
      for (const y of lines) against(y - LINE_HALF, y + LINE_HALF);
      for (const [l, t, r, b] of placed) {
        if (left < r + CLEAR && l < right + CLEAR) against(t, b);
      }
      return overlap;
    };
    let best: Place = { left: MARGIN, top: label.lineY - CLEAR - height };
    let least = Infinity;
    const room = Math.max(0, plotWidth - width - 2 * MARGIN);
    search: for (const offset of OFFSETS) {
      for (const above of label.onFloor ? [true] : [true, false]) {
        const top = above ? label.lineY - offset - height : label.lineY + offset;
        if (top < MARGIN || top + height > plotHeight - MARGIN) continue;
        for (let step = 0; step <= STEPS; step++) {
          const left = MARGIN + (room * step) / STEPS;
          const overlap = covered(left, top);
          if (overlap < least) {
            least = overlap;
            best = { left, top };
          }
          if (overlap === 0) break search;
        }
      }
    }
    placed.push([best.left, best.top, best.left + width, best.top + height]);
    return best;
  });
}
