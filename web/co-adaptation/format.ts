// How the figure writes its numbers: accuracies as percentages with one decimal, counts with thousands
// separators, drop probabilities as the figure lists them (0 rather than 0.0).

const COUNT = new Intl.NumberFormat("en-US");

export function percent(fraction: number): string {
  return `${(fraction * 100).toFixed(1)}%`;
}

/** A percentile band: "56.7–93.1%", or one number when both ends are the same. */
export function band(low: number, high: number): string {
  const a = (low * 100).toFixed(1);
  const b = (high * 100).toFixed(1);
  return a === b ? `${a}%` : `${a}–${b}%`;
}

export function pText(p: number): string {
  return String(p);
}

export function count(n: number): string {
  return COUNT.format(n);
}

/** Which network a curve belongs to, as the legend, the readouts and the table name it. */
export function networkName(p: number): string {
  return p === 0 ? `trained with p = ${pText(p)} (no dropout)` : `trained with p = ${pText(p)}`;
}

/** "32 and 32", "32, 16 and 8". */
export function listText(items: readonly (number | string)[]): string {
  const text = items.map(String);
  if (text.length <= 1) return text.join("");
  return `${text.slice(0, -1).join(", ")} and ${text[text.length - 1]}`;
}
