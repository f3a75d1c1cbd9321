import type { FigureDefinition } from "../figures";
import { render } from "./view";

export const dataFlow: FigureDefinition = {
  name: "data-flow",
  title: "the data-flow figure",
  prefix: "flow.",
  keys: ["p", "scaling", "probe", "seed", "draws"],
  pageKeys: [],
  render,
};
