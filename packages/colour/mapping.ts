import { GRADIENT_ENTRIES, INTERIOR_INDEX } from "./palettes";

/**
 * Smooth escape value → palette index, from the pixel's own value only (no
 * per-tile statistics, so neighbouring tiles never show a seam).
 *
 * The value is stretched by a square root before walking the cyclic gradient:
 * escape values grow roughly linearly with depth, so a linear walk would cycle
 * ever faster (noise at deep zooms) and a log walk would flatten them; sqrt
 * keeps a few colour cycles per tile from z0 to MAX_ZOOM. sqrt(1 + s) rather
 * than sqrt(s) keeps the slope finite near 0, so far-exterior pixels do not
 * band. Math.sqrt is correctly rounded (IEEE 754), so the index is the same
 * on every machine.
 */
export const SQRT_UNITS_PER_CYCLE = 6;
export const CYCLE_OFFSET = 0;

export function paletteIndex(smooth: number): number {
  // Interior is -1; NaN or infinities would be a kernel bug, but must never make an out-of-range index.
  if (!(smooth >= 0) || smooth === Infinity) return INTERIOR_INDEX;
  const phase = Math.sqrt(1 + smooth) / SQRT_UNITS_PER_CYCLE + CYCLE_OFFSET;
  const index = Math.floor((phase - Math.floor(phase)) * GRADIENT_ENTRIES);
  return index < GRADIENT_ENTRIES ? index : GRADIENT_ENTRIES - 1;
}

/** Maps a whole tile of smooth values to palette indices. */
export function paletteIndices(smooth: Float32Array, out: Uint8Array = new Uint8Array(smooth.length)): Uint8Array {
  for (let i = 0; i < smooth.length; i++) out[i] = paletteIndex(smooth[i]);
  return out;
}

// The packed tables put R in the low byte, which is RGBA byte order only on little-endian hosts
// (every platform Node and Lambda run on); fail at load rather than swap channels silently.
if (new Uint8Array(new Uint32Array([1]).buffer)[0] !== 1) throw new Error("fractile colour tables need a little-endian host");

/** Indices → RGBA bytes through a palette's packed table. */
export function indicesToRgba(indices: Uint8Array, rgba32: Uint32Array): Uint8ClampedArray {
  const words = new Uint32Array(indices.length);
  for (let i = 0; i < indices.length; i++) words[i] = rgba32[indices[i]];
  return new Uint8ClampedArray(words.buffer);
}
