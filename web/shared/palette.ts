// Colours come from the page's CSS custom properties, so the figure and the article share one palette;
// the defaults are for hosts without the page's style sheet (a notebook).

export type RGB = [number, number, number];

export interface Palette {
  paper: RGB;
  ink: RGB;
  muted: RGB;
  accent: RGB;
  positive: RGB;
  negative: RGB;
  dropped: RGB;
  input: RGB;
  classes: RGB[];
}

const DEFAULTS: Record<string, string> = {
  "--paper": "#faf8f3",
  "--ink": "#1f1f1e",
  "--muted": "#6f6b62",
  "--accent": "#d97757",
  "--weight-positive": "#c9603c",
  "--weight-negative": "#4f6478",
  "--unit-dropped": "#e2dfd6",
  "--unit-input": "#ebe7dc",
  "--class-1": "#0072b2",
  "--class-2": "#cc79a7",
  "--class-3": "#009e73",
};

function parseHex(text: string): RGB | null {
  const match = /^#([0-9a-f]{6})$/i.exec(text.trim());
  if (!match?.[1]) return null;
  const n = parseInt(match[1], 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

export function readPalette(element: Element): Palette {
  const style = getComputedStyle(element);
  const read = (name: string): RGB =>
    parseHex(style.getPropertyValue(name)) ?? (parseHex(DEFAULTS[name] ?? "") as RGB);
  return {
    paper: read("--paper"),
    ink: read("--ink"),
    muted: read("--muted"),
    accent: read("--accent"),
    positive: read("--weight-positive"),
    negative: read("--weight-negative"),
    dropped: read("--unit-dropped"),
    input: read("--unit-input"),
    classes: [read("--class-1"), read("--class-2"), read("--class-3")],
  };
}

/** The colour a fraction t of the way from a to b. */
export function mix(a: RGB, b: RGB, t: number): RGB {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
}

export function css(colour: RGB): string {
  return `rgb(${Math.round(colour[0])},${Math.round(colour[1])},${Math.round(colour[2])})`;
}

export function classColour(palette: Palette, index: number): RGB {
  return palette.classes[index % palette.classes.length] ?? palette.ink;
}

/** Map a non-negative magnitude onto [0, 1), steeply near 0, so that small values still show. */
export function saturate(magnitude: number): number {
  const m = Math.abs(magnitude);
  return m / (m + 1);
}
