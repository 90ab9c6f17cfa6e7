import goldenFile from "./golden.json";
import type { TileSpec } from "./spec";
import { RENDER_VERSION } from "./version";

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

interface PinnedGolden {
  renderVersion: string;
  tiles: { spec: TileSpec; sha256: string }[];
}

const pinned = goldenFile as PinnedGolden;

/**
 * The PNG hash golden.json pins for a golden tile, as computed on the
 * development machine (x64) for the current render version; undefined for
 * other tiles, or if golden.json belongs to another version. Comparing a
 * deployed function's bytes with it (rather than with a hash rendered on the
 * same architecture) also catches bytes that differ between x64 and arm64.
 */
export function pinnedGoldenSha256(spec: TileSpec): string | undefined {
  if (pinned.renderVersion !== RENDER_VERSION) return undefined;
  const entry = pinned.tiles.find(
    (t) => t.spec.z === spec.z && t.spec.x === spec.x && t.spec.y === spec.y && t.spec.scale === spec.scale && t.spec.palette === spec.palette,
  );
  return entry?.sha256;
}
