/**
 * The tile grid: which square of the complex plane a tile address covers.
 *
 * Conventions shared with the benchmark workload (`packages/kernel/README.md`, "Workload"):
 * zoom 0 is one tile over re ∈ [-2.5, 1.5] × im ∈ [-2, 2]; tile (z, x, y) is a
 * square of side 4 / 2^z with x growing right and y growing down; pixel centres
 * sit at (px + 0.5)·step. An @2x tile covers the same square with twice the
 * pixels per side.
 */

export const TILE_SIZE = 256;
export type TileScale = 1 | 2;
export const TILE_SCALES: readonly TileScale[] = [1, 2];

/** Left edge, top edge and side of the zoom-0 tile. */
export const WORLD_LEFT = -2.5;
export const WORLD_TOP = 2;
export const WORLD_SIZE = 4;

/**
 * The deepest zoom rendered honestly with float64 (measured with
 * `npm run measure:max-zoom -- 10 44 4 [re im]`).
 *
 * Two things break as tiles shrink. (1) Pixel placement: an @2x tile at zoom z
 * has step 2^-(z+7); near re ≈ -0.75 one ulp is 2^-53, so at z32 a pixel spans
 * 2^14 representable values (exact placement), at z44 only 4 (jitter), and
 * from z46 pixel centres collapse. (2) The iteration: rounding error grows
 * with every iteration and, once it rivals the distance between neighbouring
 * pixels' orbits, counts go wrong in whole regions. Against a double-double
 * (≈106 bit) reference from the same pixel centres, on 4096 sample pixels of
 * the seahorse-valley tile at each zoom, at the budget's iteration count
 * (share of pixels whose count differs / is off by more than 5 %):
 *   z10–z22  0.1–0.9 % / 0.05–0.5 %   chaotic boundary pixels: noise at every zoom
 *   z26–z30  1.4–3.7 % / 0.4–1.1 %
 *   z31–z33  4.0–5.8 % / 1.2–1.6 %
 *   z34–z36  8–15 %    / 2.2–3.1 %
 *   z37–z40  23–30 %   / 4–6 %      (the workload's z40: "about a quarter")
 *   z44      57 %      / 10 %
 * (same figures within noise for 1x and @2x). A second path, towards
 * -0.77568377 + 0.13646737i, degrades more gently (z32 0.9 % / 0.2 %,
 * z36 2.2 % / 0.5 %, z40 5.6 % / 1.4 %), so the seahorse path is the one that
 * sets the limit. MAX_ZOOM = 32 is the last zoom before the error climbs
 * steeply (8 % at z34, 15 % at z36, a quarter from z37): beyond it whole bands
 * of pixels would be coloured from wrong orbits, which a viewer shows as noise.
 */
export const MAX_ZOOM = 32;

/** A tile's pixel grid in the complex plane, in the kernel's input shape. */
export interface TileBounds {
  left: number;
  top: number;
  step: number;
  width: number;
  height: number;
}

/** Side of a tile at zoom z in complex units: exact, a power of two. */
export function tileSide(z: number): number {
  return WORLD_SIZE / 2 ** z;
}

export function tilePixels(scale: TileScale): number {
  return TILE_SIZE * scale;
}

/** The deepest zoom whose tile edges float64 holds exactly: x·side needs z significant bits. */
export const FLOAT64_GRID_MAX_ZOOM = 52;

/**
 * Bounds of tile (z, x, y) in float64, for the float64 kernels. Every
 * operation is exact up to FLOAT64_GRID_MAX_ZOOM: the side is a power of two
 * and x·side has at most 53 significant bits, so the only rounding is the
 * final addition to the world edge, the same one the benchmark workload makes.
 * Deeper tiles have no float64 bounds: the deep renderer takes their BigInt
 * indices.
 */
export function tileBounds(z: number, x: number | bigint, y: number | bigint, scale: TileScale = 1): TileBounds {
  if (z > FLOAT64_GRID_MAX_ZOOM) throw new RangeError(`tileBounds: zoom ${z} is beyond float64's exact grid (${FLOAT64_GRID_MAX_ZOOM})`);
  const side = tileSide(z);
  const pixels = tilePixels(scale);
  return {
    left: WORLD_LEFT + Number(x) * side,
    top: WORLD_TOP - Number(y) * side,
    step: side / pixels,
    width: pixels,
    height: pixels,
  };
}
