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
  /** The most steps a link replays, and the most one training command asks for. */
  max_steps: number;
  max_chunk: number;
  at_cap: boolean;
  record_every: number;
  prediction: number[];
  predicted_class: number;
  /** The eval network's loss (cross-entropy) and accuracy now, whatever the picture shows. */
  train_loss: number;
  test_loss: number;
  train_accuracy: number;
  test_accuracy: number;
  chance_accuracy: number;
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
  curves: Curves;
}

/** The eval network's loss and accuracy as it trained, at most a few hundred recorded steps. */
export interface Curves {
  steps: Int32Array;
  trainLoss: Float32Array;
  testLoss: Float32Array;
  trainAccuracy: Float32Array;
  testAccuracy: Float32Array;
}

export interface PlaygroundFrame {
  id: number | null;
  values: PlaygroundValues;
  arrays: PlaygroundArrays;
}

export { DATASETS } from "../shared/inputs";
export const MAX_HIDDEN = 16;
export const SPEEDS = [1, 2, 3] as const;
/** Live training, in optimisation steps a second: Fast is TensorFlow Playground's pace. */
export const TRAINING_SPEEDS = { slow: 100, normal: 300, fast: 1500 } as const;
export type TrainingSpeed = keyof typeof TRAINING_SPEEDS;
export const TRAINING_SPEED_NAMES: readonly TrainingSpeed[] = ["slow", "normal", "fast"];

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
      curves: {
        steps: frameArray(frame, "curve_steps", Int32Array),
        trainLoss: frameArray(frame, "curve_train_loss", Float32Array),
        testLoss: frameArray(frame, "curve_test_loss", Float32Array),
        trainAccuracy: frameArray(frame, "curve_train_accuracy", Float32Array),
        testAccuracy: frameArray(frame, "curve_test_accuracy", Float32Array),
      },
    },
  };
}
