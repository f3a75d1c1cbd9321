import type { FigureDefinition } from "../figures";
import { render } from "./view";

export const forgottenEval: FigureDefinition = {
  name: "forgotten-eval",
  title: "the forgotten model.eval() figure",
  prefix: "bug.",
  keys: ["T", "seed", "draw"],
  pageKeys: [],
  render,
};
