import goldenFile from "./golden.json";
import { DEEP_LOCATIONS } from "../deep/index";
import { encodeTileIndex } from "../tile/index";
import type { TileSpec } from "./spec";
import { RENDER_VERSION } from "./version";

/**
 * Tiles whose PNG hashes are pinned per render version (golden.json): two per
 * palette, one 256 px and one @2x, chosen to cover exterior gradients,
 * boundary detail and interior. Together they render in well under a second,
 * so the test suite and the Lambda pre-traffic hook can afford all of them.
 */
const SHALLOW_GOLDEN_TILES: TileSpec[] = [
  { z: 0, x: 0n, y: 0n, scale: 1, palette: "classic" },
  { z: 3, x: 3n, y: 2n, scale: 2, palette: "classic" },
  { z: 1, x: 0n, y: 0n, scale: 1, palette: "viridis" },
  { z: 4, x: 11n, y: 7n, scale: 2, palette: "viridis" },
  { z: 4, x: 7n, y: 7n, scale: 1, palette: "magma" },
  { z: 1, x: 1n, y: 0n, scale: 2, palette: "magma" },
  { z: 2, x: 1n, y: 1n, scale: 1, palette: "grayscale" },
  { z: 3, x: 5n, y: 3n, scale: 2, palette: "grayscale" },
];

/** A tile of a deep test location (packages/deep/locations.ts), by name. */
function deepTile(name: string, scale: 1 | 2, palette: string): TileSpec {
  const location = DEEP_LOCATIONS.find((l) => l.name === name);
  if (!location) throw new Error(`no deep location named ${name}`);
  return { ...location.tile, scale, palette };
}

/**
 * Deep tiles (perturbation, from DEEP_FROM_ZOOM) pinned the same way, so the
 * golden test and the pre-traffic hook catch drift at depth: a Misiurewicz
 * point at z50, z600 (@2x) and z2000, and the minibrot beside C = i near z1000 (interior,
 * the bilinear approximation's long skips). About a second together.
 */
const DEEP_GOLDEN_TILES: TileSpec[] = [
  deepTile("C = i at z50", 1, "grayscale"),
  deepTile("C = i at z600", 2, "magma"),
  deepTile("C = i at z2000", 1, "classic"),
  deepTile("minibrot beside C = i at z1000", 1, "viridis"),
];

export const GOLDEN_TILES: readonly TileSpec[] = Object.freeze([...SHALLOW_GOLDEN_TILES, ...DEEP_GOLDEN_TILES]);

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
