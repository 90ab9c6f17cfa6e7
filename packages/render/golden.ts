import goldenFile from "./golden.json";
import { encodeTileIndex } from "../tile/index";
import type { TileSpec } from "./spec";
import { RENDER_VERSION } from "./version";

/**
 * Tiles whose PNG hashes are pinned per render version (golden.json): two per
 * palette, one 256 px and one @2x, chosen to cover exterior gradients,
 * boundary detail and interior. Together they render in well under a second,
 * so the test suite and the Lambda pre-traffic hook can afford all of them.
 */
export const GOLDEN_TILES: readonly TileSpec[] = Object.freeze([
  { z: 0, x: 0n, y: 0n, scale: 1, palette: "classic" },
  { z: 3, x: 3n, y: 2n, scale: 2, palette: "classic" },
  { z: 1, x: 0n, y: 0n, scale: 1, palette: "viridis" },
  { z: 4, x: 11n, y: 7n, scale: 2, palette: "viridis" },
  { z: 4, x: 7n, y: 7n, scale: 1, palette: "magma" },
  { z: 1, x: 1n, y: 0n, scale: 2, palette: "magma" },
  { z: 2, x: 1n, y: 1n, scale: 1, palette: "grayscale" },
  { z: 3, x: 5n, y: 3n, scale: 2, palette: "grayscale" },
] satisfies TileSpec[]);

/** golden.json names each tile by its URL path below the render version (x, y in base 36). */
export interface GoldenFile {
  renderVersion: string;
  tiles: { tile: string; sha256: string }[];
}

const pinned = goldenFile as GoldenFile;

/**
 * The PNG hash golden.json pins for a golden tile, as computed on the
 * development machine (x64) for the current render version; undefined for
 * other tiles, or if golden.json belongs to another version. Comparing a
 * deployed function's bytes with it (rather than with a hash rendered on the
 * same architecture) also catches bytes that differ between x64 and arm64.
 */
export function pinnedGoldenSha256(spec: TileSpec): string | undefined {
  if (pinned.renderVersion !== RENDER_VERSION) return undefined;
  const label = tileLabel(spec);
  return pinned.tiles.find((t) => t.tile === label)?.sha256;
}

/** `palette/z/x/y[@2x]`, x and y in base 36: the tile's URL path below the render version. */
export function tileLabel(spec: TileSpec): string {
  return `${spec.palette}/${spec.z}/${encodeTileIndex(spec.x)}/${encodeTileIndex(spec.y)}${spec.scale === 2 ? "@2x" : ""}`;
}
