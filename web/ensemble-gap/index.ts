import type { FigureDefinition } from "../figures";
import { render } from "./view";

export const ensembleGap: FigureDefinition = {
  name: "ensemble-gap",
  title: "the exact-versus-sampled figure",
  prefix: "gap.",
  keys: ["network", "p", "dataset", "seed"],
  pageKeys: [],
  render,
};
