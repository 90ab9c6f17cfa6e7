import { GOLDEN_TILES } from "./golden";
import { sha256Hex } from "./hash";
import type { TileSpec } from "./spec";
import { renderTilePng } from "./tile";

export interface GoldenEntry {
  spec: TileSpec;
  sha256: string;
}

export interface GoldenFile {
  renderVersion: string;
  tiles: GoldenEntry[];
}

/** Renders every golden tile and hashes its PNG bytes. */
export function computeGoldenHashes(): GoldenEntry[] {
  return GOLDEN_TILES.map((spec) => ({ spec: { ...spec }, sha256: sha256Hex(renderTilePng(spec)) }));
}

export function tileLabel(spec: TileSpec): string {
  return `${spec.palette}/${spec.z}/${spec.x}/${spec.y}${spec.scale === 2 ? "@2x" : ""}`;
}
