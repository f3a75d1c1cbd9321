// Inputs several figures share, made the same way everywhere.

import { html } from "./dom";

/** The datasets the server offers (figures/playground.py DATASET_NAMES), in menu order. */
export const DATASETS = ["blobs", "spiral", "moons", "circles", "xor"] as const;

/** A seed box: any whole number a seed can be, 0 to 2^32 − 1. */
export function seedInput(attributes: { class: string; id?: string }): HTMLInputElement {
  return html("input", { type: "number", min: 0, max: 4294967295, step: 1, inputmode: "numeric", ...attributes });
}

/** The drop-probability slider, from 0 to `max` in steps of 0.05. */
export function pSlider(attributes: { class: string; id?: string; max: number; value: number }): HTMLInputElement {
  return html("input", { type: "range", min: 0, step: 0.05, ...attributes });
}
