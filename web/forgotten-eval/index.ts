import type { FigureDefinition } from "../figures";
import { render } from "./view";

export const forgottenEval: FigureDefinition = {
  name: "forgotten-eval",
  prefix: "bug.",
  keys: ["T", "seed", "draw"],
  pageKeys: [],
  render,
};
