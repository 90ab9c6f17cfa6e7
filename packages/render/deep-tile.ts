/**
 * Tiles at z >= DEEP_FROM_ZOOM: perturbation against a reference orbit per
 * anchor (packages/deep). The orbit is the expensive, shareable part, so it is
 * an input and an output here: the caller (functions/lib/tile-renderer.ts)
 * fetches it from the tile store and stores a newly computed one, also when
 * the tile itself is refused (LoopTooCostlyError.newReference). Bytes that
 * do not decode as this anchor's and budget's orbit are never trusted: the
 * orbit is recomputed and handed back for storing.
 */
import {
  DEEP_FROM_ZOOM,
  LoopTooCostlyError,
  REFERENCE_FORMAT,
  anchorId,
  anchorOf,
  computeReference,
  decodeReference,
  encodeReference,
  renderDeepTile,
  renderDeepTileWith,
  type GridCounter,
  type ReferenceOrbit,
} from "../deep/index";
import { paletteIndices } from "../colour/index";
import type { TileSpec } from "./spec";
import { tileIterationBudget } from "./budget-of";

export function isDeepTile(spec: Pick<TileSpec, "z">): boolean {
  return spec.z >= DEEP_FROM_ZOOM;
}

/**
 * Where a deep tile's reference orbit is kept: `refs/{renderVersion}/{anchorId}/{budget}.f{format}.bin`.
 * Shared by the 2^K × 2^K tiles under the anchor at that budget (1x and @2x of
 * the same pixel zoom share a budget only when the rule says so). Undefined for
 * shallow tiles, which need none. The key names everything the bytes depend on
 * (the orbit is a function of anchor and budget; the encoding's format may
 * change without a render version), so every writer of a key writes the same
 * bytes and overwriting a rejected entry is safe (functions/lib/tile-renderer.ts).
 */
export function referenceKey(spec: TileSpec, renderVersion: string): string | undefined {
  if (!isDeepTile(spec)) return undefined;
  return `refs/${renderVersion}/${anchorId(anchorOf(spec))}/${tileIterationBudget(spec)}.f${REFERENCE_FORMAT}.bin`;
}

export interface DeepTileRender {
  indices: Uint8Array;
  width: number;
  height: number;
  /** The encoded orbit when it had to be computed (none stored, or stored bytes rejected). */
  newReference?: Uint8Array;
}

/**
 * Whether stored bytes are this tile's reference orbit (its anchor's and budget's, intact).
 * About 2 ms for a 50,000-step orbit (800 KB), against about a second to compute one at z2000:
 * a cache checks bytes before sharing them with other tiles (functions/lib/tile-renderer.ts).
 */
export function isReferenceOf(spec: TileSpec, bytes: Uint8Array): boolean {
  if (!isDeepTile(spec)) return false;
  try {
    decodeReference(bytes, anchorOf(spec), tileIterationBudget(spec));
    return true;
  } catch {
    return false;
  }
}

function referenceFor(spec: TileSpec, stored: Uint8Array | undefined): { ref: ReferenceOrbit; computed: boolean } {
  const anchor = anchorOf(spec);
  const budget = tileIterationBudget(spec);
  if (stored) {
    try {
      return { ref: decodeReference(stored, anchor, budget), computed: false };
    } catch {
      // Corrupt, truncated, or another anchor's or budget's: recompute below.
    }
  }
  return { ref: computeReference(anchor, budget), computed: true };
}

/** A limit on where a tile is rendered, never on its bytes (DeepOptions.maxLoopSteps: all or nothing). */
export interface RenderLimits {
  maxLoopSteps?: number;
}

/**
 * A deep tile's indices. A tile refused by `limits` throws LoopTooCostlyError carrying the orbit
 * computed for it (`newReference`, the bytes a finished render would have handed back), so the
 * orbit outlives the refusal: the caller stores it for whoever renders the tile, and the anchor's
 * other tiles.
 */
export function renderDeepTileIndices(
  spec: TileSpec,
  storedReference?: Uint8Array,
  limits: RenderLimits = {},
): DeepTileRender {
  const { ref, computed } = referenceFor(spec, storedReference);
  const opts = { maxLoopSteps: limits.maxLoopSteps };
  try {
    return deepTileRender(spec, ref, computed, renderDeepTile(deepInput(spec), ref, opts).smooth);
  } catch (error) {
    throw withComputedReference(error, ref, computed);
  }
}

/** The same with the loop's work handed to `counter` (worker threads): the same indices. */
export async function renderDeepTileIndicesWith(
  counter: GridCounter,
  spec: TileSpec,
  storedReference?: Uint8Array,
  limits: RenderLimits = {},
): Promise<DeepTileRender> {
  const { ref, computed } = referenceFor(spec, storedReference);
  const opts = { maxLoopSteps: limits.maxLoopSteps };
  try {
    const { smooth } = await renderDeepTileWith(counter, deepInput(spec), ref, opts);
    return deepTileRender(spec, ref, computed, smooth);
  } catch (error) {
    throw withComputedReference(error, ref, computed);
  }
}

/** A refusal of a tile whose orbit was computed here, with that orbit encoded; any other error as it was. */
function withComputedReference(error: unknown, ref: ReferenceOrbit, computed: boolean): unknown {
  if (!computed || !(error instanceof LoopTooCostlyError)) return error;
  return new LoopTooCostlyError(error.estimatedSteps, error.maxLoopSteps, encodeReference(ref));
}

function deepInput(spec: TileSpec) {
  return { z: spec.z, x: spec.x, y: spec.y, scale: spec.scale, maxIter: tileIterationBudget(spec) };
}

function deepTileRender(spec: TileSpec, ref: ReferenceOrbit, computed: boolean, smooth: Float32Array): DeepTileRender {
  const pixels = 256 * spec.scale;
  return {
    indices: paletteIndices(smooth, undefined, spec.z),
    width: pixels,
    height: pixels,
    newReference: computed ? encodeReference(ref) : undefined,
  };
}
