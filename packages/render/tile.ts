import { getKernel, type Kernel } from "../kernel/index";
import { colourTable, paletteIndices } from "../colour/index";
import { encodeIndexedPng } from "../png/index";
import { tileBounds } from "../tile/index";
import { tileIterationBudget } from "./budget-of";
import type { GridCounter } from "../deep/index";
import { isDeepTile, renderDeepTileIndices, renderDeepTileIndicesWith, type RenderLimits } from "./deep-tile";
import type { TileSpec } from "./spec";

export { tileIterationBudget, type RenderLimits };

export interface IndexedTile {
  width: number;
  height: number;
  indices: Uint8Array;
}

/**
 * A tile's palette indices (palette-independent): the exact float64 kernels
 * below DEEP_FROM_ZOOM, perturbation from there on (computing the reference
 * orbit; renderTileWithReference takes a stored one).
 */
export function renderTileIndices(spec: TileSpec, kernel: Kernel = getKernel()): IndexedTile {
  if (isDeepTile(spec)) return renderDeepTileIndices(spec);
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

export interface RenderedTile {
  png: Uint8Array;
  /** A deep tile's reference orbit, encoded, when it was computed here: the caller stores it (referenceKey). */
  newReference?: Uint8Array;
}

/**
 * The tile with its reference orbit as input and output, for callers that
 * cache orbits (the same bytes as renderTilePng, whatever the stored orbit
 * holds: bytes that are not this tile's orbit are recomputed, never used). With
 * `limits.maxLoopSteps`, a deep tile whose plan estimates more loop steps throws
 * LoopTooCostlyError before its loop runs (shallow tiles are never refused), with the orbit in
 * its `newReference` when it was computed here, for the caller to store all the same.
 */
export function renderTileWithReference(
  spec: TileSpec,
  storedReference?: Uint8Array,
  limits?: RenderLimits,
): RenderedTile {
  if (!isDeepTile(spec)) return { png: renderTilePng(spec) };
  const { width, height, indices, newReference } = renderDeepTileIndices(spec, storedReference, limits);
  return { png: encodeIndexedPng({ width, height, indices, paletteRgb: colourTable(spec.palette).rgb }), newReference };
}

/**
 * renderTileWithReference with a deep tile's loop handed to `counter` (worker threads, where the
 * host has several cores): the same bytes. Shallow tiles render here as before.
 */
export async function renderTileWithReferenceUsing(
  counter: GridCounter,
  spec: TileSpec,
  storedReference?: Uint8Array,
  limits?: RenderLimits,
): Promise<RenderedTile> {
  if (!isDeepTile(spec)) return { png: renderTilePng(spec) };
  const { width, height, indices, newReference } = await renderDeepTileIndicesWith(
    counter,
    spec,
    storedReference,
    limits,
  );
  return { png: encodeIndexedPng({ width, height, indices, paletteRgb: colourTable(spec.palette).rgb }), newReference };
}
