import type { TileScale } from "./grid";

/**
 * Iteration budget (maxIter) for a tile, from the zoom its *pixels* have.
 *
 * Rule: with e = z + log2(scale) (an @2x tile has the pixel size of a tile one
 * zoom deeper),
 *
 *     budget(e) = round(1000 · 10^((e − 20) / 20)), clamped to [1000, 50000]
 *
 * i.e. 1000 up to e = 20, then ×10 every 20 zooms: e25 → 1778, e30 → 3162,
 * e33 → 4467, e40 → 10000, e52 → 39811, and 50,000 from e ≈ 54 to MAX_ZOOM.
 *
 * Shallow (e ≤ 40): deeper tiles need more iterations because the structure
 * they show sits closer to the set, where orbits escape later. The constants
 * make every tile of the benchmark workload a real tile of the product (z0–z20
 * at 1000, z40 at 10000); every tile up to z32 (@2x: e33) has the budget it
 * had before deep zoom, so the float64 golden tiles keep their bytes.
 *
 * Deep (perturbation, packages/deep): the same growth continues because the
 * deep structure people zoom to in the first tens of zooms needs it: the
 * period-998 minibrot near the seahorse point at z≈52 needs ≈30,000 iterations
 * to show itself (e52 → 39,811). Beyond e ≈ 54 the budget stays at 50,000:
 * - what deep structure needs grows far more slowly than the exponential:
 *   near a Misiurewicz point with repelling multiplier λ a pixel at distance d
 *   escapes after about log(1/d)/log|λ| iterations (linear in the zoom: about
 *   1,400 at z2000 beside C = i), and the minibrots seen at depth z there have
 *   periods of the order of z (packages/deep/locations.ts lists real ones);
 * - the deepest tile must finish well inside the tile function's timeout; with
 *   BLA the pixels cost little per counted iteration, but a tile whose pixels
 *   all run the whole budget is bounded by it. The measured tile times at
 *   50,000 are in packages/deep/README.md ("Bench"), the table of record.
 * Known limit: structure that needs more shows as interior (a period-8911
 * minibrot at z1004 beside a Misiurewicz point needs 76,000–122,000).
 * The rule is per zoom only (never per tile or per location), so neighbouring
 * tiles agree and the budget is part of the render version's fingerprint.
 */
export const MIN_BUDGET = 1000;
export const MAX_BUDGET = 50_000;

export function budgetForPixelZoom(effectiveZoom: number): number {
  if (!(effectiveZoom > 20)) return MIN_BUDGET; // also catches NaN
  if (effectiveZoom >= 60) return MAX_BUDGET; // also catches Infinity, and skips 10^x for huge zooms
  const grown = Math.round(MIN_BUDGET * 10 ** ((effectiveZoom - 20) / 20));
  return Math.min(MAX_BUDGET, grown);
}

export function iterationBudget(z: number, scale: TileScale = 1): number {
  return budgetForPixelZoom(z + Math.log2(scale));
}
