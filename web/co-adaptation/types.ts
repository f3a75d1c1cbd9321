// What a co-adaptation frame holds (src/dropout_playground/figures/co_adaptation.py, CoAdaptation.frame).

import { frameArray, type Frame } from "../wire";

export interface CoadSettings {
  dataset: string;
  seed: number;
}

export interface CoadValues {
  settings: CoadSettings;
  datasets: string[];
  /** The drop probability each network was trained with: the first without dropout, the second with. */
  ps: [number, number];
  /** Hidden layer widths, e.g. [32, 32]. */
  hidden: number[];
  /** N, the hidden units that can be removed. */
  units: number;
  /** How many random sets of k units each point averages over. */
  choices: number;
  train_steps: number;
  test_points: number;
  /** Per network, as trained (no unit removed). */
  train_accuracy: [number, number];
  /** Per network, test accuracy with every unit in place. */
  full_accuracy: [number, number];
  /** The k nearest N/2, and each network's mean test accuracy there. */
  half: { k: number; accuracy: [number, number] };
}

/** Test accuracy per k: the mean over the random sets, and their 10th and 90th percentile. */
export interface Curve {
  mean: Float32Array;
  low: Float32Array;
  high: Float32Array;
}

export interface CoadFrame {
  id: number | null;
  values: CoadValues;
  /** The numbers of removed units measured: 0, 2, 4 … N. */
  k: Int32Array;
  /** The network trained without dropout, then the one trained with it (values.ps). */
  curves: [Curve, Curve];
}

/** The figure's DATASET_NAMES, so that the menu is there before the first frame; the frame's list wins. */
export const DATASETS: readonly string[] = ["spiral", "moons"];

function curve(frame: Frame, name: string): Curve {
  return {
    mean: frameArray(frame, `${name}_mean`, Float32Array),
    low: frameArray(frame, `${name}_low`, Float32Array),
    high: frameArray(frame, `${name}_high`, Float32Array),
  };
}

export function coadFrame(frame: Frame): CoadFrame {
  const k = frameArray(frame, "k", Int32Array);
  const curves: [Curve, Curve] = [curve(frame, "none"), curve(frame, "dropout")];
  for (const c of curves) {
    if (c.mean.length !== k.length || c.low.length !== k.length || c.high.length !== k.length) {
      throw new Error("the frame's curves do not have one entry per k");
    }
  }
  return { id: frame.id, values: frame.values as unknown as CoadValues, k, curves };
}
