// What an overfitting frame holds (src/dropout_playground/figures/overfitting.py, Overfitting.frame).

import { frameArray, type Frame } from "../wire";

export type Task = "sine" | "moons";

export interface OverfittingSettings {
  task: Task;
  p: number;
  noise: number;
  points: number;
  width: number;
  seed: number;
  steps: number;
}

/** One of the two networks: "none" has p = 0, "dropout" the student's p. */
export interface NetworkValues {
  key: "none" | "dropout";
  p: number;
  train_loss: number;
  test_loss: number;
  /** test − train */
  gap: number;
  best_test_loss: number;
  best_step: number;
  /** How far the test loss has risen above its best. */
  rise: number;
}

export interface OverfittingValues {
  settings: OverfittingSettings;
  step: number;
  max_steps: number;
  max_chunk: number;
  at_cap: boolean;
  record_every: number;
  loss_name: string;
  networks: [NetworkValues, NetworkValues];
  sizes: number[];
  train_points: number;
  test_points: number;
  widths: number[];
  tasks: Task[];
  /** moons only: [x0, x1, y0, y1] of the maps, and their size. */
  bounds?: [number, number, number, number];
  grid?: number;
  /** moons only: the step the maps show (while Play runs they are redrawn about 15 times a second). */
  map_step?: number;
}

export interface Curves {
  steps: Int32Array;
  trainNone: Float32Array;
  testNone: Float32Array;
  trainDropout: Float32Array;
  testDropout: Float32Array;
}

export interface OverfittingFrame {
  id: number | null;
  values: OverfittingValues;
  curves: Curves;
  xTrain: Float32Array;
  yTrain: Float32Array;
  xTest: Float32Array;
  yTest: Float32Array;
  /** sine only */
  fit: { x: Float32Array; truth: Float32Array; none: Float32Array; dropout: Float32Array } | null;
  /** moons only: grid × grid × 2 bytes each */
  maps: { none: Uint8Array; dropout: Uint8Array } | null;
}

export function overfittingFrame(frame: Frame): OverfittingFrame {
  const values = frame.values as unknown as OverfittingValues;
  const sine = values.settings.task === "sine";
  return {
    id: frame.id,
    values,
    curves: {
      steps: frameArray(frame, "curve_steps", Int32Array),
      trainNone: frameArray(frame, "train_none", Float32Array),
      testNone: frameArray(frame, "test_none", Float32Array),
      trainDropout: frameArray(frame, "train_dropout", Float32Array),
      testDropout: frameArray(frame, "test_dropout", Float32Array),
    },
    xTrain: frameArray(frame, "x_train", Float32Array),
    yTrain: frameArray(frame, "y_train", Float32Array),
    xTest: frameArray(frame, "x_test", Float32Array),
    yTest: frameArray(frame, "y_test", Float32Array),
    fit: sine
      ? {
          x: frameArray(frame, "curve_x", Float32Array),
          truth: frameArray(frame, "truth", Float32Array),
          none: frameArray(frame, "fit_none", Float32Array),
          dropout: frameArray(frame, "fit_dropout", Float32Array),
        }
      : null,
    maps: sine
      ? null
      : { none: frameArray(frame, "map_none", Uint8Array), dropout: frameArray(frame, "map_dropout", Uint8Array) },
  };
}

/** Speeds the student can choose, in optimiser steps a second for each network. */
export const SPEEDS = { slow: 100, normal: 300, fast: 1500 } as const;
export type Speed = keyof typeof SPEEDS;
export const SPEED_NAMES: readonly Speed[] = ["slow", "normal", "fast"];

const COUNT = new Intl.NumberFormat("en-US");
export const count = (n: number): string => COUNT.format(n);

/** A loss to three significant figures, never in e-notation for the values these tasks reach. */
export function loss(value: number): string {
  if (!Number.isFinite(value)) return "–";
  if (value >= 100) return value.toFixed(0);
  return value.toPrecision(3);
}
