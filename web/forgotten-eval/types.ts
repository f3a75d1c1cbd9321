// What a forgotten-eval frame holds (src/dropout_playground/figures/forgotten_eval.py, ForgottenEval.frame),
// and how the figure writes its numbers.

import { frameArray, type Frame } from "../wire";

export interface ForgottenEvalSettings {
  T: number;
  seed: number;
  draw: number;
}

/** One of the fixed inputs, answered three ways; each answer is [class 1, class 2] probabilities. */
export interface Probe {
  name: string;
  point: [number, number];
  eval: [number, number];
  train: [number, number];
  mc: [number, number];
  /** The standard deviation of the second class's probability over the T passes. */
  mc_spread: number;
}

/** The test set's reliability numbers for one way of asking the network. */
export interface ModeReliability {
  /** Per confidence bin: bin i holds the confidences in (i/bins, (i+1)/bins]. */
  counts: number[];
  /** The share answered correctly in each bin; 0 for an empty bin. */
  accuracy: number[];
  /** The mean confidence in each bin; 0 for an empty bin. */
  confidence: number[];
  ece: number;
  overall_accuracy: number;
  mean_confidence: number;
}

export const MODES = ["train", "eval", "mc"] as const;
export type Mode = (typeof MODES)[number];

export interface ForgottenEvalValues {
  settings: ForgottenEvalSettings;
  t_choices: number[];
  trained_p: number;
  test_points: number;
  bins: number;
  probes: Probe[];
  modes: Record<Mode, ModeReliability>;
  /** [x0, x1, y0, y1]: the first and last grid points on each axis. */
  bounds: [number, number, number, number];
  grid: number;
}

export interface ForgottenEvalFrame {
  id: number | null;
  values: ForgottenEvalValues;
  /** grid × grid × 2 class probabilities of the eval network, 255 = 1, rows from the top. */
  evalMap: Uint8Array;
  /** The test set: x, y pairs and their labels. */
  points: Float32Array;
  labels: Uint8Array;
}

export function forgottenEvalFrame(frame: Frame): ForgottenEvalFrame {
  return {
    id: frame.id,
    values: frame.values as unknown as ForgottenEvalValues,
    evalMap: frameArray(frame, "eval_map", Uint8Array),
    points: frameArray(frame, "points", Float32Array),
    labels: frameArray(frame, "labels", Uint8Array),
  };
}

/** The figure's T_CHOICES, so that the choice is there before the first frame; the frame's list wins. */
export const T_CHOICES: readonly number[] = [5, 10, 30];

/** Probabilities, accuracies, confidences and ECE: three decimals, as the probes show them. */
export const fixed3 = (value: number): string => value.toFixed(3);

/** A coordinate of the plane, for the map's text alternative. */
export const coordinate = (value: number): string => value.toFixed(2).replace("-", "−");

/** Bin i's edges, 0.5–0.6 for i = 5 of 10. */
export function binText(index: number, bins: number): string {
  const digits = bins <= 10 ? 1 : 2;
  return `${(index / bins).toFixed(digits)}–${((index + 1) / bins).toFixed(digits)}`;
}

/**
 * The first bin the diagrams and the table show, the same for all three ways. Confidence is the larger of
 * two class probabilities, so it is never below 0.5: the bins below it stay empty and are left out, unless
 * one of them holds a point after all (a confidence of exactly 0.5 falls in the bin that ends at 0.5).
 */
export function firstBin(values: ForgottenEvalValues): number {
  let first = Math.floor(values.bins / 2);
  for (const mode of MODES) {
    const lowest = values.modes[mode].counts.findIndex((count) => count > 0);
    if (lowest >= 0) first = Math.min(first, lowest);
  }
  return first;
}

export const MODE_TEXT: Record<Mode, { title: string; short: string }> = {
  train: { title: "Train mode (the bug)", short: "Train mode" },
  eval: { title: "Eval mode", short: "Eval mode" },
  mc: { title: "MC dropout (mean of T passes)", short: "MC dropout" },
};
