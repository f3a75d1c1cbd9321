// What an ensemble-grid frame holds (src/dropout_playground/figures/ensemble_grid.py, EnsembleGrid.frame).

import { frameArray, type Frame } from "../wire";

export interface GridSettings {
  p: number;
  members: number;
  dataset: string;
  hidden: [number, number];
  seed: number;
  draw: number;
}

export interface GridValues {
  settings: GridSettings;
  classes: number;
  /** Every map is grid × grid points of the plane. */
  grid: number;
  /** [x0, x1, y0, y1]: the first and last grid points on each axis. */
  bounds: [number, number, number, number];
  /** N, the droppable units, and 2^N. */
  units: number;
  possible: number;
  /** "12 of 4,096 possible sub-networks". */
  counter_text: string;
  distinct: number;
  /** The probability the distinct masks carry together, and that as "carrying 0.29 % of the probability". */
  covered_probability: number;
  covered_text: string;
  /** (1 − p)^N, and 2^(N·H(p)): about how many masks carry most of the probability. */
  full_network_probability: number;
  typical_masks: number;
  /** Whether the sub-networks are equally likely at this p, and where the probability lies if not. */
  likelihood_text: string;
  /** Units kept per member: [hidden layer 1, hidden layer 2]. */
  kept: Array<[number, number]>;
  member_accuracy: number[];
  average_accuracy: number;
  eval_accuracy: number;
  /** The share of the plane where the average and the eval network predict the same class. */
  agreement: number;
  trained_p: number;
  trained_steps: number;
}

export interface GridArrays {
  /** members × grid × grid × classes probabilities, 255 = 1. */
  memberMaps: Uint8Array;
  averageMap: Uint8Array;
  evalMap: Uint8Array;
  /** members × units keep-masks: hidden layer 1's units, then layer 2's. */
  masks: Uint8Array;
  points: Float32Array;
  labels: Uint8Array;
}

export interface GridFrame {
  id: number | null;
  values: GridValues;
  arrays: GridArrays;
}

export const MEMBER_CHOICES = [6, 12, 24] as const;
export { DATASETS } from "../shared/inputs";

export function gridFrame(frame: Frame): GridFrame {
  return {
    id: frame.id,
    values: frame.values as unknown as GridValues,
    arrays: {
      memberMaps: frameArray(frame, "member_maps", Uint8Array),
      averageMap: frameArray(frame, "average_map", Uint8Array),
      evalMap: frameArray(frame, "eval_map", Uint8Array),
      masks: frameArray(frame, "masks", Uint8Array),
      points: frameArray(frame, "points", Float32Array),
      labels: frameArray(frame, "labels", Uint8Array),
    },
  };
}

export const PERCENT = (share: number, digits = 1): string => `${(share * 100).toFixed(digits)}%`;
