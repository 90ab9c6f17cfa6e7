import type { TileSpec } from "./spec";

/**
 * Tiles whose PNG hashes are pinned per render version (golden.json): two per
 * palette, one 256 px and one @2x, chosen to cover exterior gradients,
 * boundary detail and interior. Together they render in well under a second,
 * so the test suite and the Lambda pre-traffic hook can afford all of them.
 */
export const GOLDEN_TILES: readonly TileSpec[] = Object.freeze([
  { z: 0, x: 0, y: 0, scale: 1, palette: "classic" },
  { z: 3, x: 3, y: 2, scale: 2, palette: "classic" },
  { z: 1, x: 0, y: 0, scale: 1, palette: "viridis" },
  { z: 4, x: 11, y: 7, scale: 2, palette: "viridis" },
  { z: 4, x: 7, y: 7, scale: 1, palette: "magma" },
  { z: 1, x: 1, y: 0, scale: 2, palette: "magma" },
  { z: 2, x: 1, y: 1, scale: 1, palette: "grayscale" },
  { z: 3, x: 5, y: 3, scale: 2, palette: "grayscale" },
] satisfies TileSpec[]);
