// Where each edge's value goes: on its own edge, at a fraction of the way along it chosen so that no
// two values overlap, none covers a unit or a unit's note, and no other edge runs through a value (so a
// reader can tell which edge a number belongs to). Values that would stand in one column are staggered.

export interface Segment {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

/** left, top, width, height */
export type Box = [number, number, number, number];

export interface Circle {
  cx: number;
  cy: number;
  r: number;
}

const FIRST = 0.08;
const LAST = 0.92;
const STEP = 0.01;
const GAP = 2; // between two values, and between a value and a unit or a note
const ENOUGH_CLEARANCE = 10; // beyond this, a value is clear of the other edges: no need for more
const COLUMN = 24; // two values closer than this across, and near in height, read as one column
const COLUMN_HEIGHT = 80;

function pointAt(s: Segment, t: number): [number, number] {
  return [s.x1 + (s.x2 - s.x1) * t, s.y1 + (s.y2 - s.y1) * t];
}

function overlap(a: Box, b: Box, gap: number): boolean {
  return a[0] < b[0] + b[2] + gap && b[0] < a[0] + a[2] + gap && a[1] < b[1] + b[3] + gap && b[1] < a[1] + a[3] + gap;
}

function touchesCircle(box: Box, c: Circle, gap: number): boolean {
  const x = Math.min(Math.max(c.cx, box[0]), box[0] + box[2]);
  const y = Math.min(Math.max(c.cy, box[1]), box[1] + box[3]);
  return Math.hypot(x - c.cx, y - c.cy) < c.r + gap;
}

function pointToSegment(x: number, y: number, s: Segment): number {
  const dx = s.x2 - s.x1;
  const dy = s.y2 - s.y1;
  const t = Math.max(0, Math.min(1, ((x - s.x1) * dx + (y - s.y1) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(x - s.x1 - t * dx, y - s.y1 - t * dy);
}

function pointToBox(x: number, y: number, box: Box): number {
  const dx = Math.max(box[0] - x, 0, x - box[0] - box[2]);
  const dy = Math.max(box[1] - y, 0, y - box[1] - box[3]);
  return Math.hypot(dx, dy);
}

/** Whether the segment passes through the box (Liang–Barsky clipping). */
function crosses(s: Segment, box: Box): boolean {
  const dx = s.x2 - s.x1;
  const dy = s.y2 - s.y1;
  let start = 0;
  let end = 1;
  const sides: Array<[number, number]> = [
    [-dx, s.x1 - box[0]],
    [dx, box[0] + box[2] - s.x1],
    [-dy, s.y1 - box[1]],
    [dy, box[1] + box[3] - s.y1],
  ];
  for (const [p, q] of sides) {
    if (p === 0) {
      if (q < 0) return false;
      continue;
    }
    const t = q / p;
    if (p < 0) start = Math.max(start, t);
    else end = Math.min(end, t);
    if (start > end) return false;
  }
  return true;
}

/** How far the segment passes from the box: 0 when it runs through it. */
function clearance(s: Segment, box: Box): number {
  if (crosses(s, box)) return 0;
  const corners: Array<[number, number]> = [
    [box[0], box[1]],
    [box[0] + box[2], box[1]],
    [box[0], box[1] + box[3]],
    [box[0] + box[2], box[1] + box[3]],
  ];
  return Math.min(
    ...corners.map(([x, y]) => pointToSegment(x, y, s)),
    pointToBox(s.x1, s.y1, box),
    pointToBox(s.x2, s.y2, box),
  );
}

interface Candidate {
  t: number;
  box: Box;
  centre: [number, number];
  clear: number;
}

/**
 * The fraction along each edge at which its value goes, for values of the given sizes ([width, height]).
 * The values keep as clear of the other edges as the drawing allows: the largest clearance from a short
 * list for which every value finds a place. Within it, a depth-first search places the edge with the
 * fewest free places first, trying its places from the best: clear of other edges, out of the column of
 * the values already placed, near its edge's middle.
 */
export function placeEdgeLabels(
  edges: Segment[],
  sizes: Array<[number, number]>,
  units: Circle[],
  notes: Box[],
): number[] {
  const candidates = edges.map((edge, i) => {
    const [width, height] = sizes[i] ?? [0, 0];
    const free: Candidate[] = [];
    for (let step = 0; FIRST + step * STEP <= LAST + 1e-9; step++) {
      const t = FIRST + step * STEP;
      const centre = pointAt(edge, t);
      const box: Box = [centre[0] - width / 2, centre[1] - height / 2, width, height];
      if (units.some((unit) => touchesCircle(box, unit, GAP))) continue;
      if (notes.some((note) => overlap(box, note, GAP))) continue;
      const clear = Math.min(...edges.filter((other) => other !== edge).map((other) => clearance(other, box)));
      free.push({ t, box, centre, clear });
    }
    return free;
  });
  for (const least of CLEARANCES) {
    const found = search(candidates.map((free) => free.filter((c) => c.clear >= least)));
    if (found) return found.map((c) => c.t);
  }
  // Nowhere free for some value (a drawing far narrower than any screen): every value at its middle.
  return edges.map(() => 0.5);
}

const CLEARANCES = [ENOUGH_CLEARANCE, 8, 6, 5, 4, 3, 2, 1, 0];
const SEARCH_BUDGET = 5000; // steps of the search at one clearance, so that a hopeless case ends quickly

function search(options: Candidate[][]): Candidate[] | null {
  const placed = new Map<number, Candidate>();
  let steps = 0;
  const score = (candidate: Candidate): number => {
    let value = Math.min(candidate.clear, ENOUGH_CLEARANCE) * 10 - Math.abs(candidate.t - 0.5);
    for (const other of placed.values()) {
      const across = Math.abs(other.centre[0] - candidate.centre[0]);
      const down = Math.abs(other.centre[1] - candidate.centre[1]);
      if (across < COLUMN) value -= 10 * (1 - across / COLUMN) * Math.max(0, 1 - down / COLUMN_HEIGHT);
    }
    return value;
  };
  const step = (): boolean => {
    if (placed.size === options.length) return true;
    if (++steps > SEARCH_BUDGET) return false;
    let edge = -1;
    let free: Candidate[] = [];
    options.forEach((candidates, i) => {
      if (placed.has(i)) return;
      const open = candidates.filter((c) => ![...placed.values()].some((other) => overlap(c.box, other.box, GAP)));
      if (edge < 0 || open.length < free.length) {
        edge = i;
        free = open;
      }
    });
    const ranked = free.map((c) => ({ c, score: score(c) })).sort((a, b) => b.score - a.score);
    for (const { c } of ranked) {
      placed.set(edge, c);
      if (step()) return true;
      placed.delete(edge);
    }
    return false;
  };
  if (!step()) return null;
  return options.map((_, i) => placed.get(i) as Candidate);
}
