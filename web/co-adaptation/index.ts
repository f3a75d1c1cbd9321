import type { FigureDefinition } from "../figures";
import { render } from "./view";

export const coAdaptation: FigureDefinition = {
  name: "co-adaptation",
  title: "the co-adaptation figure",
  prefix: "coad.",
  keys: ["dataset", "seed"],
  pageKeys: [],
  render,
};
