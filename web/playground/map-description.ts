// The decision map in words, for readers who cannot see it: which class the network predicts in each
// ninth of the map (upper left … lower right), how much of the map each class covers, and the probe's
// class. Computed from the same heatmap the picture is painted from, so the two always agree.

const NINTHS = ["upper left", "top", "upper right", "left", "centre", "right", "lower left", "bottom", "lower right"];
// The names of the page's class colours (--class-1 … --class-3 in style.css: Okabe and Ito's blue,
// reddish purple and bluish green).
const COLOUR_NAMES = ["blue", "pink", "green"];

function list(items: string[]): string {
  if (items.length < 2) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1] ?? ""}`;
}

/**
 * `heatmap`: grid × grid cells, rows from the top, `classes` bytes each (255 = certain).
 * `predicted`: the class (from 0) the figure reports at the probe.
 */
export function describeMap(
  heatmap: Uint8Array,
  grid: number,
  classes: number,
  probe: [number, number],
  predicted: number,
): string {
  const inNinth = Array.from({ length: NINTHS.length }, () => new Array<number>(classes).fill(0));
  const overall = new Array<number>(classes).fill(0);
  for (let row = 0; row < grid; row++) {
    for (let column = 0; column < grid; column++) {
      const cell = (row * grid + column) * classes;
      let best = 0;
      for (let c = 1; c < classes; c++) if ((heatmap[cell + c] ?? 0) > (heatmap[cell + best] ?? 0)) best = c;
      const ninth = 3 * Math.floor((3 * row) / grid) + Math.floor((3 * column) / grid);
      const counts = inNinth[ninth];
      if (counts) counts[best] = (counts[best] ?? 0) + 1;
      overall[best] = (overall[best] ?? 0) + 1;
    }
  }
  const most = (counts: number[]): number => counts.indexOf(Math.max(...counts));
  const holders = inNinth.map(most);
  const sentences = overall.map((count, c) => {
    const name = `Class ${c + 1}${COLOUR_NAMES[c] ? ` (${COLOUR_NAMES[c]})` : ""}`;
    const percent = `${Math.round((100 * count) / (grid * grid))}%`;
    const held = NINTHS.filter((_, ninth) => holders[ninth] === c);
    if (held.length === NINTHS.length) return `${name} covers ${percent} of the map: the whole of it.`;
    if (held.length > 0) return `${name} covers ${percent} of the map: ${list(held.map((n) => `the ${n}`))}.`;
    if (count === 0) return `${name} is predicted nowhere on the map.`;
    // A class that holds no ninth: say where most of it lies.
    const where = NINTHS[most(inNinth.map((counts) => counts[c] ?? 0))] ?? "";
    return `${name} covers ${percent} of the map, most of it in the ${where}.`;
  });
  const [x, y] = probe;
  sentences.push(`The probe, at (${x.toFixed(2)}, ${y.toFixed(2)}), is in class ${predicted + 1}'s region.`);
  return sentences.join(" ");
}
