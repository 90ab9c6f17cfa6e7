import { getKernel, type Kernel } from "../kernel/index";
import { colourTable, paletteIndices } from "../colour/index";
import { encodeIndexedPng } from "../png/index";
import { iterationBudget, tileBounds } from "../tile/index";
import type { TileSpec } from "./spec";

export interface IndexedTile {
  width: number;
  height: number;
  indices: Uint8Array;
}

/** The iteration budget a tile is rendered with (sent as X-Fractile-Iterations). */
export function tileIterationBudget(spec: Pick<TileSpec, "z" | "scale">): number {
  return iterationBudget(spec.z, spec.scale);
}

/** A tile's palette indices: kernel → smooth values → indices (palette-independent). */
export function renderTileIndices(spec: TileSpec, kernel: Kernel = getKernel()): IndexedTile {
  const bounds = tileBounds(spec.z, spec.x, spec.y, spec.scale);
  const { smooth } = kernel.render({ ...bounds, maxIter: tileIterationBudget(spec) });
  return { width: bounds.width, height: bounds.height, indices: paletteIndices(smooth, undefined, spec.z) };
}

/**
 * The tile's PNG bytes: the same spec gives the same bytes on every machine
 * and with every kernel (all kernels agree on counts and smooth values).
 */
export function renderTilePng(spec: TileSpec, kernel: Kernel = getKernel()): Uint8Array {
  const { width, height, indices } = renderTileIndices(spec, kernel);
  return encodeIndexedPng({ width, height, indices, paletteRgb: colourTable(spec.palette).rgb });
}
