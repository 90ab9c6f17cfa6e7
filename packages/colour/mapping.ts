import { GRADIENT_ENTRIES, INTERIOR_INDEX } from "./palettes";

/**
 * Smooth escape value → palette index, from the pixel's own value and the tile's zoom only (no
 * per-tile statistics, so neighbouring tiles never show a seam).
 *
 * Shallow (zoom ≤ SHALLOW_COLOUR_MAX_ZOOM): the value is stretched by a square root before walking
 * the cyclic gradient: escape values grow roughly linearly with depth, so a linear walk would
 * cycle ever faster (noise at deep zooms) and a log walk would flatten them; sqrt keeps a few
 * colour cycles per tile from z0 to z32. sqrt(1 + s) rather than sqrt(s) keeps the slope finite
 * near 0, so far-exterior pixels do not band. These tiles keep their exact bytes (golden hashes).
 *
 * Deep (zoom > SHALLOW_COLOUR_MAX_ZOOM): DEEP_CYCLES_PER_OCTAVE colour cycles per doubling of
 * 1 + s. What varies across a deep tile is the *relative* spread of its values: measured on the
 * deep test locations (packages/deep/README.md, "Colour at depth"), tiles beside Misiurewicz points
 * span only 1.5–5 % (e.g. 484–495 at C = i, z600; 3460–3547 beside M24,1, z200), minibrot tiles
 * 45–56 % (2016–3204 at z603, 10364–16156 at z204) at any depth, with absolute values from 40 to
 * 50,000. A walk in log(1 + s) gives each tile a number of bands set by that relative spread, not
 * by how deep or how far from the set it is: Misiurewicz tiles get a fraction of a cycle (a visible
 * gradient, not one flat colour), minibrot tiles a handful of cycles (bands, not noise). The same
 * constant at every deep zoom, so zooming in does not shift colours from one level to the next.
 * sqrt at these values would give Misiurewicz tiles 0.01–0.1 of a cycle: one flat colour.
 *
 * Math.sqrt is correctly rounded and Math.log2 is V8's software fdlibm port: the index is the
 * same on every machine.
 */
export const SQRT_UNITS_PER_CYCLE = 6;
export const CYCLE_OFFSET = 0;
/** The deepest tile zoom coloured by the shallow (sqrt) rule. */
export const SHALLOW_COLOUR_MAX_ZOOM = 32;
/** Deep tiles: colour cycles per doubling of 1 + s. */
export const DEEP_CYCLES_PER_OCTAVE = 2;

/** The gradient index at a phase (cycles): its fractional part, scaled to the gradient. */
function indexOfPhase(phase: number): number {
  const index = Math.floor((phase - Math.floor(phase)) * GRADIENT_ENTRIES);
  return index < GRADIENT_ENTRIES ? index : GRADIENT_ENTRIES - 1;
}

/** The palette index of a smooth value in a tile at `zoom` (the tile's z; a view's zoom in tile units). */
export function paletteIndex(smooth: number, zoom = 0): number {
  // Interior is -1; NaN or infinities would be a kernel bug, but must never make an out-of-range index.
  if (!(smooth >= 0) || smooth === Infinity) return INTERIOR_INDEX;
  if (zoom > SHALLOW_COLOUR_MAX_ZOOM) return indexOfPhase(Math.log2(1 + smooth) * DEEP_CYCLES_PER_OCTAVE);
  return indexOfPhase(Math.sqrt(1 + smooth) / SQRT_UNITS_PER_CYCLE + CYCLE_OFFSET);
}

/** Maps a whole tile of smooth values to palette indices; `zoom` as for paletteIndex. */
export function paletteIndices(smooth: Float32Array, out: Uint8Array = new Uint8Array(smooth.length), zoom = 0): Uint8Array {
  for (let i = 0; i < smooth.length; i++) out[i] = paletteIndex(smooth[i], zoom);
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
