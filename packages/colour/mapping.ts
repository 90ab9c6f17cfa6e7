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
 * Deep (zoom > SHALLOW_COLOUR_MAX_ZOOM): a walk in log2(1 + s), deepCyclesPerOctave(zoom) colour
 * cycles per doubling of 1 + s. What varies across a deep tile is the *relative* spread of its
 * values. Measured on the deep test locations (packages/deep/README.md, "Colour at depth"): tiles
 * beside Misiurewicz points span a relative spread that shrinks as 1/z (their values grow with the
 * zoom, their absolute spread does not: 5 % at z50, 2.5 % at z200, 0.5 % at z1000), minibrot tiles
 * 45–75 % at any depth, with values from 40 to 50,000. A log walk makes the bands of a tile
 * depend on that relative spread only; the cycles per octave (2 up to z200, then growing as
 * sqrt(z/200)) split the difference between the two kinds, so Misiurewicz tiles keep a gradient of
 * several bands and minibrot tiles stay bands, not noise, at every depth. They change by under
 * 0.3 % from one zoom to the next, so zooming in barely shifts colours. Against the sqrt walk on
 * the same values, the flattest deep tile goes from 2.7 to 3.2 bits of palette entropy, the
 * chaotic seahorse tile from 33 % to 21 % neighbour jumps, and no tile gets more than 1.2 % more.
 *
 * Math.sqrt is correctly rounded and Math.log2 is V8's software fdlibm port: the index is the
 * same on every machine.
 */
export const SQRT_UNITS_PER_CYCLE = 6;
export const CYCLE_OFFSET = 0;
/** The deepest tile zoom coloured by the shallow (sqrt) rule. */
export const SHALLOW_COLOUR_MAX_ZOOM = 32;
/** Deep tiles: colour cycles per doubling of 1 + s, up to DEEP_CYCLES_GROWTH_FROM_ZOOM. */
export const DEEP_CYCLES_PER_OCTAVE = 2;
/** Beyond this zoom the cycles per octave grow as sqrt(zoom / DEEP_CYCLES_GROWTH_FROM_ZOOM). */
export const DEEP_CYCLES_GROWTH_FROM_ZOOM = 200;

/** Colour cycles per doubling of 1 + s at a deep zoom (Math.sqrt: correctly rounded, deterministic). */
export function deepCyclesPerOctave(zoom: number): number {
  return DEEP_CYCLES_PER_OCTAVE * Math.sqrt(Math.max(1, zoom / DEEP_CYCLES_GROWTH_FROM_ZOOM));
}

/** The gradient index at a phase (cycles): its fractional part, scaled to the gradient. */
function indexOfPhase(phase: number): number {
  const index = Math.floor((phase - Math.floor(phase)) * GRADIENT_ENTRIES);
  return index < GRADIENT_ENTRIES ? index : GRADIENT_ENTRIES - 1;
}

/** The palette index of a smooth value in a tile at `zoom` (the tile's z; a view's zoom in tile units). */
export function paletteIndex(smooth: number, zoom = 0): number {
  // Interior is -1; NaN or infinities would be a kernel bug, but must never make an out-of-range index.
  if (!(smooth >= 0) || smooth === Infinity) return INTERIOR_INDEX;
  if (zoom > SHALLOW_COLOUR_MAX_ZOOM) return indexOfPhase(Math.log2(1 + smooth) * deepCyclesPerOctave(zoom));
  return indexOfPhase(Math.sqrt(1 + smooth) / SQRT_UNITS_PER_CYCLE + CYCLE_OFFSET);
}

/**
 * Whether paletteIndex maps every smooth value to the same index at both zooms: both shallow (the
 * sqrt walk ignores the zoom), or both deep with the same cycles per octave. Exports rely on it
 * when they take an @2x tile of zoom z − 1 for a poster at zoom z (docs/exports.md).
 */
export function sameColouring(zoomA: number, zoomB: number): boolean {
  const deepA = zoomA > SHALLOW_COLOUR_MAX_ZOOM;
  if (deepA !== zoomB > SHALLOW_COLOUR_MAX_ZOOM) return false;
  return !deepA || deepCyclesPerOctave(zoomA) === deepCyclesPerOctave(zoomB);
}

/** Maps a whole tile of smooth values to palette indices; `zoom` as for paletteIndex. */
export function paletteIndices(
  smooth: Float32Array,
  out: Uint8Array = new Uint8Array(smooth.length),
  zoom = 0,
): Uint8Array {
  for (let i = 0; i < smooth.length; i++) out[i] = paletteIndex(smooth[i], zoom);
  return out;
}

// The packed tables put R in the low byte, which is RGBA byte order only on little-endian hosts
// (every platform Node and Lambda run on); fail at load rather than swap channels silently.
if (new Uint8Array(new Uint32Array([1]).buffer)[0] !== 1)
  throw new Error("fractile colour tables need a little-endian host");

/** Indices → RGBA bytes through a palette's packed table. */
export function indicesToRgba(indices: Uint8Array, rgba32: Uint32Array): Uint8ClampedArray {
  const words = new Uint32Array(indices.length);
  for (let i = 0; i < indices.length; i++) words[i] = rgba32[indices[i]];
  return new Uint8ClampedArray(words.buffer);
}
