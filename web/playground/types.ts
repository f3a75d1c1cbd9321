// What a playground frame holds (src/dropout_playground/figures/playground.py, Playground.frame).

import { frameArray, type Frame } from "../wire";

export type Mode = "train" | "eval";

export interface PlaygroundSettings {
  dataset: string;
  hidden: [number, number];
  p: number;
  mode: Mode;
  seed: number;
  probe: [number, number];
  training: string;
}

export interface PlaygroundValues {
  settings: PlaygroundSettings;
  /** Layer widths: [2, h1, h2, classes]. */
  sizes: number[];
  alive: [number, number];
  active_edges: number;
  total_edges: number;
  scale_text: string;
  steps: number;
  prediction: number[];
  predicted_class: number;
  test_accuracy: number;
  /** [x0, x1, y0, y1] of the decision map. */
  bounds: [number, number, number, number];
  grid: number;
}

export interface PlaygroundArrays {
  heatmap: Uint8Array;
  points: Float32Array;
  labels: Uint8Array;
  masks: [Uint8Array, Uint8Array];
  activations: [Float32Array, Float32Array];
  passed: [Float32Array, Float32Array];
  /** weight_1 … weight_3, each stored (inputs, outputs) row by row. */
  weights: [Float32Array, Float32Array, Float32Array];
}

export interface PlaygroundFrame {
  id: number | null;
  values: PlaygroundValues;
  arrays: PlaygroundArrays;
}

export { DATASETS } from "../shared/inputs";
export const MAX_HIDDEN = 16;
export const SPEEDS = [1, 2, 3] as const;

export function playgroundFrame(frame: Frame): PlaygroundFrame {
  return {
    id: frame.id,
    values: frame.values as unknown as PlaygroundValues,
    arrays: {
      heatmap: frameArray(frame, "heatmap", Uint8Array),
      points: frameArray(frame, "points", Float32Array),
      labels: frameArray(frame, "labels", Uint8Array),
      masks: [frameArray(frame, "mask_1", Uint8Array), frameArray(frame, "mask_2", Uint8Array)],
      activations: [frameArray(frame, "activation_1", Float32Array), frameArray(frame, "activation_2", Float32Array)],
      passed: [frameArray(frame, "passed_1", Float32Array), frameArray(frame, "passed_2", Float32Array)],
      weights: [
        frameArray(frame, "weight_1", Float32Array),
        frameArray(frame, "weight_2", Float32Array),
        frameArray(frame, "weight_3", Float32Array),
      ],
    },
  };
}
