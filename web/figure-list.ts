// Every figure there is, in the order the article shows them: the page starts one for each element that
// names it, and a notebook widget draws the one its kernel holds.

import { coAdaptation } from "./co-adaptation";
import { dataFlow } from "./data-flow";
import { ensembleGap } from "./ensemble-gap";
import { ensembleGrid } from "./ensemble-grid";
import type { FigureDefinition } from "./figures";
import { forgottenEval } from "./forgotten-eval";
import { mcDropout } from "./mc-dropout";
import { overfitting } from "./overfitting";
import { playground } from "./playground";

export const FIGURES: readonly FigureDefinition[] = [
  playground,
  overfitting,
  dataFlow,
  forgottenEval,
  ensembleGrid,
  ensembleGap,
  coAdaptation,
  mcDropout,
];
