// What a data-flow frame holds (src/dropout_playground/figures/data_flow.py, DataFlow.frame).

import { frameArray, type Frame } from "../wire";

export type Scaling = "inverted" | "classic" | "none";
export const SCALINGS: readonly Scaling[] = ["inverted", "classic", "none"];

export interface DataFlowSettings {
  p: number;
  scaling: Scaling;
  probe: [number, number];
  seed: number;
  draws: number;
}

export interface DataFlowValues {
  settings: DataFlowSettings;
  /** [2, 4, 1] */
  sizes: number[];
  /** W₁ (2 × 4) and W₂ (4 × 1), each stored (inputs, outputs). */
  weights: [number[][], number[][]];
  biases: [number[], number[]];
  input: [number, number];
  /** The current mask: true for a kept unit. */
  mask: boolean[];
  pre_activations: number[];
  hidden: number[];
  passed: number[];
  /** x_i · W₁[i][j], by input then hidden unit. */
  edge_in: number[][];
  /** h̃_j · W₂[j][0]. */
  edge_out: number[];
  output: number;
  train_scale: number;
  train_scale_text: string;
  eval_scale: number;
  eval_scale_text: string;
  eval_hidden: number[];
  eval_output: number;
  exact_mean: number;
  exact_gap: number;
  /** b₂: what every sub-network outputs at p = 1. */
  output_bias: number;
  /** eval_output − b₂: what the hidden units add to the eval output. */
  hidden_part: number;
  n_masks: number;
  draws: number;
  running_mean: number;
  standard_error: number | null;
  gap: number;
  unit_mean: number[];
  unit_variance: number[] | null;
  unit_mean_exact: number[];
  unit_variance_exact: number[];
  max_draws: number;
  max_count: number;
}

export interface DataFlowFrame {
  id: number | null;
  values: DataFlowValues;
  traceDraws: Int32Array;
  traceMean: Float32Array;
}

export function dataFlowFrame(frame: Frame): DataFlowFrame {
  return {
    id: frame.id,
    values: frame.values as unknown as DataFlowValues,
    traceDraws: frameArray(frame, "trace_draws", Int32Array),
    traceMean: frameArray(frame, "trace_mean", Float32Array),
  };
}

/** A number as the figure prints it: fixed decimals and a true minus sign; never "−0.00". */
export function fixed(value: number, digits: number): string {
  const text = value.toFixed(digits);
  if (Number(text) === 0) return (0).toFixed(digits);
  return text.startsWith("-") ? `−${text.slice(1)}` : text;
}

/** With an explicit sign, for terms of a sum (a bias, a gap). */
export function signed(value: number, digits: number): string {
  const text = fixed(value, digits);
  return text.startsWith("−") || Number(value.toFixed(digits)) === 0 ? text : `+${text}`;
}

export const COUNT_FORMAT = new Intl.NumberFormat("en-US");
