import type { FigureDefinition } from "../figures";
import { render } from "./view";

export const dataFlow: FigureDefinition = {
  name: "data-flow",
  prefix: "flow.",
  keys: ["p", "scaling", "probe", "seed", "draws"],
  pageKeys: [],
  render,
};
