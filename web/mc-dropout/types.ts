// What an mc-dropout frame holds (src/dropout_playground/figures/mc_dropout.py, McDropout.frame), and how
// the figure writes its numbers.

import { frameArray, type Frame } from "../wire";

export interface McSettings {
  /** The points as the address writes them: "x:y,x:y". */
  points: string;
  p: number;
  T: number;
  seed: number;
  steps: number;
  draw: number;
}

export type Region = "data" | "gap" | "outside";
export type Method = "mc" | "ensemble";

/** Mean band width (± 2 predictive sd) over the curve's points in each region; null where there are none. */
export type BandWidths = Record<Region, number | null>;

export interface McValues {
  settings: McSettings;
  /** [x, y] in the order they were added: a point's index is its place here. */
  points: Array<[number, number]>;
  x_range: [number, number];
  y_range: [number, number];
  /** τ⁻¹, the variance of the noise in the page's points. */
  noise_variance: number;
  target_steps: number;
  /** False while the networks are still training towards target_steps. */
  trained: boolean;
  t_choices: number[];
  members: number;
  max_points: number;
  min_points: number;
  thin_passes: number;
  band: Record<Method, BandWidths>;
}

export interface McArrays {
  curveX: Float32Array;
  truth: Float32Array;
  /** thin_passes × curve points: single MC passes, row by row. */
  passes: Float32Array;
  mcMean: Float32Array;
  mcSd: Float32Array;
  /** members × curve points: each ensemble member's curve, row by row. */
  memberCurves: Float32Array;
  ensembleMean: Float32Array;
  ensembleSd: Float32Array;
}

export interface McFrame {
  id: number | null;
  values: McValues;
  arrays: McArrays;
}

export const REGIONS: readonly Region[] = ["data", "gap", "outside"];
export const REGION_TEXT: Record<Region, string> = { data: "on the data", gap: "in the gap", outside: "outside" };
export const METHOD_TEXT: Record<Method, string> = { mc: "MC dropout", ensemble: "ensemble" };
/** The figure's T_CHOICES, so that the radios are there before the first frame; the frame's list wins. */
export const T_CHOICES: readonly number[] = [10, 30, 100];

export function mcFrame(frame: Frame): McFrame {
  return {
    id: frame.id,
    values: frame.values as unknown as McValues,
    arrays: {
      curveX: frameArray(frame, "curve_x", Float32Array),
      truth: frameArray(frame, "truth", Float32Array),
      passes: frameArray(frame, "passes", Float32Array),
      mcMean: frameArray(frame, "mc_mean", Float32Array),
      mcSd: frameArray(frame, "mc_sd", Float32Array),
      memberCurves: frameArray(frame, "member_curves", Float32Array),
      ensembleMean: frameArray(frame, "ensemble_mean", Float32Array),
      ensembleSd: frameArray(frame, "ensemble_sd", Float32Array),
    },
  };
}

const COUNT = new Intl.NumberFormat("en-US");

export function count(n: number): string {
  return COUNT.format(n);
}

/** A number with a true minus sign, so that columns of signed numbers line up and read well. */
export function fixed(value: number, digits = 2): string {
  const text = value.toFixed(digits);
  return /^-0\.?0*$/.test(text) ? text.slice(1) : text.replace("-", "−");
}

/** A band width, or a dash where the region holds no part of the curve. */
export function width(value: number | null): string {
  return value === null ? "—" : fixed(value);
}

/** τ⁻¹ as a short plain number: 0.01 rather than 0.010000000000000002. */
export function short(value: number): string {
  return String(Number(value.toPrecision(3)));
}
