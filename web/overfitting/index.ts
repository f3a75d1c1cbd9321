import type { FigureDefinition } from "../figures";
import { render } from "./view";

export const overfitting: FigureDefinition = {
  name: "overfitting",
  title: "the before-and-after figure",
  prefix: "fit.",
  keys: ["task", "p", "noise", "points", "width", "seed", "steps"],
  pageKeys: ["speed"],
  render,
};
