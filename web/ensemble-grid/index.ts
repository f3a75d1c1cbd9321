import type { FigureDefinition } from "../figures";
import { render } from "./view";

export const ensembleGrid: FigureDefinition = {
  name: "ensemble-grid",
  prefix: "grid.",
  keys: [],
  pageKeys: [],
  render,
};
