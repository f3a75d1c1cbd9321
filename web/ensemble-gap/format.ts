// How the figure writes its numbers: distances in scientific notation (they span many decades),
// accuracies as percentages, counts with thousands separators.

const COUNT = new Intl.NumberFormat("en-US");

/** 0.00620 → "6.20e-3"; 0 → "0". */
export function scientific(value: number): string {
  if (value === 0) return "0";
  return value.toExponential(2).replace("e+", "e");
}

export function percent(fraction: number): string {
  return `${(fraction * 100).toFixed(1)}%`;
}

/** A choice of p as the radios and the address write it: 0.1 rather than 0.10. */
export function pText(p: number): string {
  return String(p);
}

export function count(n: number): string {
  return COUNT.format(n);
}

const SUPERSCRIPT: Record<string, string> = {
  "-": "⁻",
  "0": "⁰",
  "1": "¹",
  "2": "²",
  "3": "³",
  "4": "⁴",
  "5": "⁵",
  "6": "⁶",
  "7": "⁷",
  "8": "⁸",
  "9": "⁹",
};

/** A power written with a raised exponent: power(2, 12) → "2¹²". */
export function power(base: number, exponent: number): string {
  return `${base}${[...String(exponent)].map((c) => SUPERSCRIPT[c] ?? c).join("")}`;
}

/** A power of ten as an axis label: 0.001 → "10⁻³", 1 → "1". */
export function powerOfTen(value: number): string {
  const exponent = Math.round(Math.log10(value));
  return exponent === 0 ? "1" : power(10, exponent);
}

/** A short plain number for running text: three significant digits, no exponent above 1e-3. */
export function short(value: number): string {
  if (value === 0) return "0";
  return Math.abs(value) >= 1e-3 ? String(Number(value.toPrecision(3))) : scientific(value);
}
