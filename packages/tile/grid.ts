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
 * The deepest zoom served. Tiles below DEEP_FROM_ZOOM (packages/deep, where
 * float64 stops being honest; the float64 measurement is in
 * packages/tile/README.md) use the float64 kernels, deeper ones perturbation.
 *
 * What bounds it is the address, not the arithmetic: the S3 key of a tile is
 * `tiles/{renderVersion}/{palette}/{z}/{x}/{y}@2x.png` and S3 keys stop at
 * 1024 bytes. x, y < 2^z take ceil(z / log2 36) base-36 digits each (465 at
 * z2400, 466 from z2405). With the longest render version the tile handler
 * accepts in a URL (64 characters) and the longest palette name (9), the key
 * of the last tile is 6 + 64 + 1 + 9 + 1 + 4 + 1 + 465 + 1 + 465 + 7 = 1024
 * bytes at z2400..z2404: z2404 is the largest zoom that fits; 2400 is chosen
 * as the round number below it. Today's 11-character render versions leave 53
 * bytes to spare. The public URL (CloudFront domain + this path) is about 1070
 * bytes, far inside CloudFront's 8192. The reference-orbit key of the same
 * tile (`refs/{rv}/{anchor z-x-y}/{budget}.f{format}.bin`) is shorter. The deep kernel
 * accepts every zoom to here (DEEP_MAX_ZOOM); tested in packages/cache.
 */
export const MAX_ZOOM = 2400;

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
  if (z > FLOAT64_GRID_MAX_ZOOM)
    throw new RangeError(`tileBounds: zoom ${z} is beyond float64's exact grid (${FLOAT64_GRID_MAX_ZOOM})`);
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
