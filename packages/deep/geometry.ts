/**
 * Deep tiles on the fractile grid (packages/tile/grid.ts), with BigInt x and y, in exact integers.
 *
 * Tile (z, x, y) covers re ∈ [-2.5 + x·4/2^z, …), im ∈ (…, 2 − y·4/2^z], side 4/2^z; an @2x tile
 * has twice the pixels per side. Every point used here is a multiple of the tile's unit
 * u = 2^-(z+8): pixel centres of 1x tiles (odd multiples of 2^-(z+7)), of @2x tiles (odd
 * multiples of 2^-(z+8)) and the centre of any ancestor tile. So a pixel's offset from its
 * anchor's centre is an integer times u, exact in float64 (it has at most K + 11 bits).
 */

/**
 * Tiles with z >= DEEP_FROM_ZOOM are rendered by perturbation (this package); shallower tiles by the
 * exact float64 kernels (packages/kernel). Chosen by measurement: see packages/deep/README.md, "Crossover".
 */
export const DEEP_FROM_ZOOM = 33;

/**
 * The anchor of a tile is its ancestor ANCHOR_LEVELS zoom levels up: 2^K × 2^K tiles share one
 * reference orbit and one BLA table. Chosen by measurement (README, "Anchor").
 */
export const ANCHOR_LEVELS = 4;

/**
 * Deepest zoom the render core accepts (README "Limits"): the product's MAX_ZOOM (packages/tile) must
 * not exceed it.
 */
export const DEEP_MAX_ZOOM = 2400;

export interface Anchor {
  z: number;
  x: bigint;
  y: bigint;
}

export interface DeepTileInput {
  z: number;
  x: bigint;
  y: bigint;
  scale: 1 | 2;
  maxIter: number;
}

export function assertDeepTile(input: DeepTileInput): void {
  const { z, x, y, scale, maxIter } = input;
  if (!Number.isInteger(z) || z < ANCHOR_LEVELS || z > DEEP_MAX_ZOOM) {
    throw new RangeError(`z must be an integer from ${ANCHOR_LEVELS} to ${DEEP_MAX_ZOOM}`);
  }
  const tiles = 1n << BigInt(z);
  if (typeof x !== "bigint" || x < 0n || x >= tiles) throw new RangeError("x must be a bigint in [0, 2^z)");
  if (typeof y !== "bigint" || y < 0n || y >= tiles) throw new RangeError("y must be a bigint in [0, 2^z)");
  if (scale !== 1 && scale !== 2) throw new RangeError("scale must be 1 or 2");
  assertMaxIter(maxIter);
}

/** Largest budget accepted: a reference orbit of 1M iterations is 16 MB of doubles. */
export const MAX_DEEP_ITERATIONS = 1_000_000;

export function assertMaxIter(maxIter: number): void {
  if (!Number.isInteger(maxIter) || maxIter < 1 || maxIter > MAX_DEEP_ITERATIONS) {
    throw new RangeError(`maxIter must be an integer from 1 to ${MAX_DEEP_ITERATIONS}`);
  }
}

/**
 * The tile's ancestor ANCHOR_LEVELS levels up: deterministic, shared by 2^K × 2^K tiles. An @2x tile
 * has the pixels of the four tiles one zoom deeper, so it takes their anchor (K − 1 levels up): an
 * @2x tile then equals its four 1x children side by side, and a view at its pixel size.
 */
export function anchorOf(input: { z: number; x: bigint; y: bigint; scale?: 1 | 2 }): Anchor {
  const k = Math.min(input.scale === 2 ? ANCHOR_LEVELS - 1 : ANCHOR_LEVELS, input.z);
  const shift = BigInt(k);
  return { z: input.z - k, x: input.x >> shift, y: input.y >> shift };
}

/** Short canonical string for cache keys: "z-x-y" with x and y in base 36. */
export function anchorId(a: Anchor): string {
  return `${a.z}-${a.x.toString(36)}-${a.y.toString(36)}`;
}

/**
 * The anchor's centre, the reference point C = (-2.5 + (x + 0.5)·4/2^z, 2 − (y + 0.5)·4/2^z),
 * as exact numerators over 2^fracBits.
 */
export function anchorCentre(a: Anchor): { re: bigint; im: bigint; fracBits: number } {
  const size = 1n << BigInt(a.z);
  // C·2^(z+1) = -2.5·2^(z+1) + (x + 0.5)·8 = -5·2^z + 8x + 4; im: 2·2^(z+1) − (y + 0.5)·8.
  return { re: -5n * size + 8n * a.x + 4n, im: 4n * size - 8n * a.y - 4n, fracBits: a.z + 1 };
}

/**
 * A rectangle of pixels whose centres sit on an integer grid: pixel (px, py) has offset
 * c = (c0re + px·step, c0im − py·step) · 2^exponent from the reference point. All integers are
 * exact doubles (|value| < 2^53).
 */
export interface PixelGrid {
  width: number;
  height: number;
  c0re: number;
  c0im: number;
  step: number;
  exponent: number;
}

/**
 * Pixel grid of a tile relative to its anchor's centre, in the unit of the anchor's 1x tiles,
 * 2^-(anchor.z + K + 8) (README "Anchor"): with k = z − anchor.z (K for 1x, K − 1 for @2x tiles),
 * tile left − anchor centre = x·2^(K+10−k) − (2·xa + 1)·2^(K+9), and a pixel is 4 units wide.
 */
export function tilePixelGrid(input: DeepTileInput, anchor: Anchor): PixelGrid {
  const k = input.z - anchor.z;
  const pixels = 256 * input.scale;
  const step = 2 ** (2 + ANCHOR_LEVELS - k) / input.scale;
  const half = 1n << BigInt(ANCHOR_LEVELS + 9);
  const up = BigInt(ANCHOR_LEVELS + 10 - k);
  const left = (input.x << up) - (2n * anchor.x + 1n) * half;
  const top = (2n * anchor.y + 1n) * half - (input.y << up);
  return {
    width: pixels,
    height: pixels,
    c0re: Number(left) + step / 2,
    c0im: Number(top) - step / 2,
    step,
    exponent: -(anchor.z + ANCHOR_LEVELS + 8),
  };
}
