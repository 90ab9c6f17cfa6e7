import type { TileScale } from "./grid";

/**
 * Iteration budget (maxIter) for a tile, from the zoom its *pixels* have.
 *
 * Rule: with e = z + log2(scale) (an @2x tile has the pixel size of a tile one
 * zoom deeper),
 *
 *     budget(e) = round(1000 · 10^((e − 20) / 20)), clamped to [1000, 10000]
 *
 * i.e. 1000 up to e = 20, then ×10 every 20 zooms: e25 → 1778, e30 → 3162,
 * e33 → 4467, e35 → 5623, e40 → 10000. Deeper tiles need more iterations
 * because the structure they show sits closer to the set, where orbits escape
 * later. The constants make every tile of the benchmark workload a real tile
 * of the product (z0–z20 at 1000, z40 at 10000).
 *
 * Worst case: a 512 px tile whose every pixel runs the whole budget (interior
 * outside the cardioid and period-2 bulb that periodicity checking happens not
 * to catch). At MAX_ZOOM = 32 an @2x tile has e = 33 → 4467 iterations ·
 * 262,144 px = 1.17e9 iterations. The SIMD kernel ran the shortcut-free
 * seahorse z40 workload tile (149.7 M iterations) in 224 ms, i.e. 0.67 G it/s
 * with the 2 cores shared and busy (`npm run bench`), so ≈ 1.8 s worst case on
 * one core; the scalar fallback (0.11 G it/s in the same run) would need ≈ 11 s,
 * which is why the wasm kernel is the one deployed. The cap of 10,000 bounds
 * fractional view zooms too; views also bound pixels × maxIter (render/view.ts).
 */
export const MIN_BUDGET = 1000;
export const MAX_BUDGET = 10_000;

export function budgetForPixelZoom(effectiveZoom: number): number {
  if (!(effectiveZoom > 20)) return MIN_BUDGET; // also catches NaN
  const grown = Math.round(MIN_BUDGET * 10 ** ((effectiveZoom - 20) / 20));
  return Math.min(MAX_BUDGET, grown);
}

export function iterationBudget(z: number, scale: TileScale = 1): number {
  return budgetForPixelZoom(z + Math.log2(scale));
}
