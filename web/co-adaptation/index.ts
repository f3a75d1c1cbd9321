import type { FigureDefinition } from "../figures";
import { render } from "./view";

export const coAdaptation: FigureDefinition = {
  name: "co-adaptation",
  prefix: "coad.",
  keys: ["dataset", "seed"],
  pageKeys: [],
  render,
};
