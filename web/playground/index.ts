import type { FigureDefinition } from "../figures";
import { render } from "./view";

export const playground: FigureDefinition = {
  name: "playground",
  title: "the playground",
  prefix: "",
  keys: ["p", "mode", "seed", "dataset", "hidden", "probe", "training", "draw"],
  pageKeys: ["speed", "training_speed"],
  render,
};
