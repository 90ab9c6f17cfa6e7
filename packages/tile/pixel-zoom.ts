import { TILE_SIZE, WORLD_SIZE } from "./grid";

/**
 * The pixel-zoom rule: at zoom z (fractional allowed) a pixel of a 1x tile spans
 * WORLD_SIZE / 2^z / TILE_SIZE complex units. Whole images (/render, the viewer's
 * "save image") name their scale by this zoom and get the iteration budget of tiles
 * with pixels that size (budgetForPixelZoom).
 */
export function pixelSizeOfZoom(zoom: number): number {
  return WORLD_SIZE / 2 ** zoom / TILE_SIZE;
}

/** The zoom whose 1x tiles have this pixel size. */
export function zoomOfPixelSize(pixelSize: number): number {
  return Math.log2(WORLD_SIZE / (TILE_SIZE * pixelSize));
}
