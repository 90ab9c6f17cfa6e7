import type { Kernel } from "../kernel/index";
import { GOLDEN_TILES } from "./golden";
export { tileLabel, type GoldenFile } from "./golden";
import { sha256Hex } from "./hash";
import type { TileSpec } from "./spec";
import { renderTilePng } from "./tile";

export interface GoldenEntry {
  spec: TileSpec;
  sha256: string;
}

/** Renders every golden tile (with the default kernel unless told) and hashes its PNG bytes. */
export function computeGoldenHashes(kernel?: Kernel, tiles: readonly TileSpec[] = GOLDEN_TILES): GoldenEntry[] {
  return tiles.map((spec) => ({ spec: { ...spec }, sha256: sha256Hex(renderTilePng(spec, kernel)) }));
}
