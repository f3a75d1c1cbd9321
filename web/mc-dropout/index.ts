import type { FigureDefinition } from "../figures";
import { render } from "./view";

export const mcDropout: FigureDefinition = {
  name: "mc-dropout",
  prefix: "mc.",
  keys: ["points", "p", "T", "seed", "steps", "draw"],
  pageKeys: [],
  render,
};
