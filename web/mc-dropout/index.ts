import type { FigureDefinition } from "../figures";
import { render } from "./view";

export const mcDropout: FigureDefinition = {
  name: "mc-dropout",
  title: "the MC dropout figure",
  prefix: "mc.",
  keys: ["points", "p", "T", "seed", "steps", "draw"],
  pageKeys: [],
  render,
};
