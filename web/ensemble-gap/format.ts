// How the figure writes its numbers: distances to three significant figures, one way everywhere (they
// span many decades: below 0.001 as a power of ten, as the chart's axis writes them), accuracies as
// percentages, counts with thousands separators.

const COUNT = new Intl.NumberFormat("en-US");
const SMALLEST_DECIMAL = -3; // 0.00100 is still written as a decimal; 0.000999 is 9.99 × 10⁻⁴

/** 0.248 → "0.248"; 0.0062 → "0.00620"; 1.2e-16 → "1.20 × 10⁻¹⁶"; 0 → "0". */
export function distance(value: number): string {
  if (value === 0) return "0";
  // Rounded first, so that 0.00099951 (1.00e-3 to three figures) is a decimal like 0.00100.
  const [mantissa = "0", exponent = "0"] = value.toExponential(2).split("e");
  if (Number(exponent) >= SMALLEST_DECIMAL) return value.toPrecision(3);
  return `${mantissa} × ${power(10, Number(exponent))}`;
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
