import type { Kernel } from "../kernel/index";
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

/** Renders every golden tile (with the default kernel unless told) and hashes its PNG bytes. */
export function computeGoldenHashes(kernel?: Kernel): GoldenEntry[] {
  return GOLDEN_TILES.map((spec) => ({ spec: { ...spec }, sha256: sha256Hex(renderTilePng(spec, kernel)) }));
}

export function tileLabel(spec: TileSpec): string {
  return `${spec.palette}/${spec.z}/${spec.x}/${spec.y}${spec.scale === 2 ? "@2x" : ""}`;
}
