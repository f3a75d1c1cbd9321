// What a playground frame holds (src/dropout_playground/figures/playground.py, Playground.frame).

import type { Frame } from "../wire";

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

export const DATASETS = ["blobs", "spiral", "moons", "circles", "xor"] as const;
export const MAX_HIDDEN = 16;
export const SPEEDS = [1, 2, 3] as const;

function array<T>(frame: Frame, name: string, kind: new (...args: never[]) => T): T {
  const found = frame.arrays[name]?.data;
  if (!(found instanceof kind)) throw new Error(`the frame has no ${kind.name} named ${name}`);
  return found;
}

export function playgroundFrame(frame: Frame): PlaygroundFrame {
  return {
    id: frame.id,
    values: frame.values as unknown as PlaygroundValues,
    arrays: {
      heatmap: array(frame, "heatmap", Uint8Array),
      points: array(frame, "points", Float32Array),
      labels: array(frame, "labels", Uint8Array),
      masks: [array(frame, "mask_1", Uint8Array), array(frame, "mask_2", Uint8Array)],
      activations: [array(frame, "activation_1", Float32Array), array(frame, "activation_2", Float32Array)],
      passed: [array(frame, "passed_1", Float32Array), array(frame, "passed_2", Float32Array)],
      weights: [
        array(frame, "weight_1", Float32Array),
        array(frame, "weight_2", Float32Array),
        array(frame, "weight_3", Float32Array),
      ],
    },
  };
}
