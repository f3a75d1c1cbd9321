// Inputs several figures share, made the same way everywhere.

import type { NumberRule } from "./checked-input";
import { html } from "./dom";

/** The datasets the server offers (figures/playground.py DATASET_NAMES), in menu order. */
export const DATASETS = ["blobs", "spiral", "moons", "circles", "xor"] as const;

/** The largest seed (figures/checks.py MAX_SEED): a seed is any whole number from 0 to 2^32 − 1. */
export const MAX_SEED = 4294967295;

/** A seed box: any whole number a seed can be, 0 to 2^32 − 1. */
export function seedInput(attributes: { class: string; id?: string }): HTMLInputElement {
  return html("input", { type: "number", min: 0, max: MAX_SEED, step: 1, inputmode: "numeric", ...attributes });
}

/** What a seed box takes, named as its label names it ("Seed", "Mask seed"). */
export function seedRule(name: string): NumberRule {
  return { name, min: 0, max: MAX_SEED, step: 1, whole: true };
}

/** The drop-probability slider, from 0 to `max` in steps of 0.05. */
export function pSlider(attributes: { class: string; id?: string; max: number; value: number }): HTMLInputElement {
  return html("input", { type: "range", min: 0, step: 0.05, ...attributes });
}
