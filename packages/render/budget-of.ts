import { iterationBudget } from "../tile/index";
import type { TileSpec } from "./spec";

/** The iteration budget a tile is rendered with (sent as X-Fractile-Iterations). */
export function tileIterationBudget(spec: Pick<TileSpec, "z" | "scale">): number {
  return iterationBudget(spec.z, spec.scale);
}
