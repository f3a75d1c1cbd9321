import type { FigureDefinition } from "../figures";
import { render } from "./view";

export const ensembleGrid: FigureDefinition = {
  name: "ensemble-grid",
  title: "the ensemble grid",
  prefix: "grid.",
  keys: ["p", "members", "dataset", "hidden", "seed", "draw"],
  pageKeys: [],
  render,
};
