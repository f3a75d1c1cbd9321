import type { FigureDefinition } from "../figures";
import { render } from "./view";

export const overfitting: FigureDefinition = {
  name: "overfitting",
  prefix: "fit.",
  keys: ["task", "p", "noise", "points", "width", "seed", "steps"],
  pageKeys: ["speed"],
  render,
};
