/**
 * What one pool worker runs: a tile or a view through the render core, the
 * result's memory handed to the main thread instead of copied.
 */
import { move } from "piscina";
import {
  LoopTooCostlyError,
  renderTilePng,
  renderTileWithReference,
  renderViewIndices,
  renderViewRgba,
  warmUp,
  type RenderLimits,
  type TileSpec,
  type ViewSpec,
} from "../../packages/render/index";

export type RenderTask =
  | { kind: "tile"; spec: TileSpec }
  | { kind: "tile-with-reference"; spec: TileSpec; storedReference?: Uint8Array; limits?: RenderLimits }
  | { kind: "view"; view: ViewSpec }
  /** Palette indices of a view: an export's part (functions/lib/export-jobs.ts). */
  | { kind: "viewIndices"; view: ViewSpec };

// Each worker compiles the wasm kernel and tiers up once, before its first task.
warmUp();

export default function renderTask(task: RenderTask): unknown {
  // A result object is structured-cloned (its orbit, if any, is copied): only bare arrays move.
  if (task.kind === "tile-with-reference") {
    try {
      return renderTileWithReference(task.spec, task.storedReference, task.limits);
    } catch (error) {
      // An error's own fields do not survive the thread boundary: the pool rebuilds this one.
      if (error instanceof LoopTooCostlyError) {
        const { estimatedSteps, maxLoopSteps, newReference } = error;
        return { tooCostly: { estimatedSteps, maxLoopSteps, newReference } } satisfies TooCostlyReply;
      }
      throw error;
    }
  }
  const result =
    task.kind === "tile"
      ? renderTilePng(task.spec)
      : task.kind === "view"
        ? renderViewRgba(task.view)
        : renderViewIndices(task.view);
  return move(ownsItsBuffer(result));
}

/**
 * Transferring detaches the whole ArrayBuffer, so a view into a larger or
 * shared buffer (Node's Buffer pool) is copied into its own first.
 */
function ownsItsBuffer<T extends Uint8Array | Uint8ClampedArray>(bytes: T): T {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : (bytes.slice() as T);
}

/** A refused tile's answer from a worker (render-pool.ts turns it back into LoopTooCostlyError). */
export interface TooCostlyReply {
  /** newReference: the orbit the refused render computed, for the caller to store all the same. */
  tooCostly: { estimatedSteps: number; maxLoopSteps: number; newReference?: Uint8Array };
}
