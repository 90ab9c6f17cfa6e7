// The complex plane as fractile's tile grid lays it out (see packages/tile):
// at zoom 0 one 256 px tile covers re ∈ [-2.5, 1.5] × im ∈ [-2, 2], x grows
// to the right and y grows downwards, and every zoom level halves the pixel.
// Pure on purpose: no Leaflet or DOM here, so it is unit-tested in node and
// the Leaflet CRS is derived from these constants rather than restating them.
// The grid itself has one owner, packages/tile/grid.ts.
import { TILE_SIZE, WORLD_LEFT, WORLD_SIZE, WORLD_TOP } from "../../packages/tile/grid";

export { TILE_SIZE };

export const AREA = {
  reMin: WORLD_LEFT,
  reMax: WORLD_LEFT + WORLD_SIZE,
  imMin: WORLD_TOP - WORLD_SIZE,
  imMax: WORLD_TOP,
} as const;

/** Zoom-0 pixels per complex unit: 256 px over a width of 4. */
export const PIXELS_PER_UNIT = TILE_SIZE / (AREA.reMax - AREA.reMin);

/** Zoom-0 pixel position of a point: px = (re + 2.5)·64, py = (2 − im)·64. */
export function planeToPixel(re: number, im: number): { x: number; y: number } {
  return { x: (re - AREA.reMin) * PIXELS_PER_UNIT, y: (AREA.imMax - im) * PIXELS_PER_UNIT };
}

/** Complex units covered by one CSS pixel at `zoom`; matches the /render `zoom` parameter. */
export function pixelSize(zoom: number): number {
  return 1 / (PIXELS_PER_UNIT * 2 ** zoom);
}

/** Linear magnification relative to zoom 0 (the whole area in one tile). */
export function magnification(zoom: number): number {
  return 2 ** zoom;
}

/** The tile at integer zoom `z` whose square contains the point. */
export function tileContaining(re: number, im: number, z: number): { x: number; y: number } {
  const { x, y } = planeToPixel(re, im);
  const scale = 2 ** z / TILE_SIZE;
  return { x: Math.floor(x * scale), y: Math.floor(y * scale) };
}

/**
 * Decimals that pin a coordinate to well under a pixel: a pixel at zoom z is
 * 2^-(z+6) ≈ 10^-(0.3z+1.8) wide, so ceil(z·log10 2) + 4 decimals leave the
 * rounding error below 1/100 px at every zoom.
 */
export function coordinateDecimals(zoom: number): number {
  return Math.max(0, Math.ceil(zoom * Math.LOG10E * Math.LN2)) + 4;
}

/** Shortest decimal text for a coordinate at the precision its zoom needs. */
export function formatCoordinate(value: number, zoom: number): string {
  return trimDecimal(value.toFixed(coordinateDecimals(zoom)));
}

/** "-0.7500" → "-0.75", "2.000" → "2", "-0.0000" → "0". */
export function trimDecimal(text: string): string {
  const trimmed = text.includes(".") ? text.replace(/\.?0+$/, "") : text;
  return trimmed === "-0" ? "0" : trimmed;
}
