// What an ensemble-gap frame holds (src/dropout_playground/figures/ensemble_gap.py, EnsembleGap.frame).

import { frameArray, type Frame } from "../wire";

export type Network = "two-layer" | "one-layer";

export interface GapSettings {
  network: Network;
  p: number;
  dataset: string;
  seed: number;
}

export interface GapValues {
  settings: GapSettings;
  /** The values p can take: each is computed in advance for both networks. */
  p_choices: number[];
  /** Layer widths, e.g. [2, 6, 6, 3]. */
  sizes: number[];
  droppable_units: number;
  /** How many sub-networks the exact averages enumerate: 2^N. */
  subnetworks: number;
  mask_streams: number;
  max_k: number;
  test_points: number;
  exact: {
    arithmetic_tv: number;
    geometric_tv: number;
    arithmetic_max_difference: number;
    geometric_max_difference: number;
    /** The exact normalised geometric mean equals the eval output up to rounding. */
    geometric_is_eval: boolean;
  };
  accuracy: {
    eval: number;
    exact_arithmetic: number;
    exact_geometric: number;
    k: number[];
    arithmetic: number[];
    geometric: number[];
  };
  /** The smallest K from which the sampled arithmetic mean is as accurate as the eval network; null: never. */
  matching_k: number | null;
}

/** Per K of the grid: the mean over the mask streams, and the lowest and highest stream. */
export interface Curve {
  mean: Float32Array;
  low: Float32Array;
  high: Float32Array;
}

export interface GapFrame {
  id: number | null;
  values: GapValues;
  k: Int32Array;
  arithmetic: Curve;
  geometric: Curve;
}

export { DATASETS } from "../shared/inputs";
/** The figure's P_CHOICES, so that the radios are there before the first frame; the frame's list wins. */
export const P_CHOICES: readonly number[] = [0.1, 0.2, 0.3, 0.5];
export const NETWORKS: ReadonlyArray<[Network, string]> = [
  ["two-layer", "Two hidden layers (the playground's)"],
  ["one-layer", "One hidden layer"],
];

function curve(frame: Frame, mean: string): Curve {
  return {
    mean: frameArray(frame, `${mean}_mean`, Float32Array),
    low: frameArray(frame, `${mean}_low`, Float32Array),
    high: frameArray(frame, `${mean}_high`, Float32Array),
  };
}

export function gapFrame(frame: Frame): GapFrame {
  return {
    id: frame.id,
    values: frame.values as unknown as GapValues,
    k: frameArray(frame, "k", Int32Array),
    arithmetic: curve(frame, "arithmetic"),
    geometric: curve(frame, "geometric"),
  };
}
