/**
 * The local server's renderer: a pool of worker threads, one per core, so
 * uncached tiles render on every core while the main thread keeps serving.
 *
 * piscina (the Node.js project's pool) rather than bare node:worker_threads:
 * it gives the task queue, replaces a worker that dies mid-task (the task's
 * promise rejects, the server answers 500 and goes on), and hands results
 * back by transfer, which a hand-written pool would have to re-implement.
 *
 * Lambda never uses this: one request per instance, rendered in-process.
 */
import os from "node:os";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Piscina } from "piscina";
import {
  DEFAULT_PALETTE,
  LoopTooCostlyError,
  type RenderLimits,
  type RenderedTile,
  type TileSpec,
  type ViewSpec,
} from "../../packages/render/index";
import type { RenderTile, RenderView } from "../../functions/lib/renderers";
import type { RenderTileWithReference } from "../../functions/lib/tile-renderer";
import type { RenderTask, TooCostlyReply } from "./render-task";

export interface RenderPoolOptions {
  /** Worker threads; default one per core the process may use. */
  threads?: number;
  /** Module each worker runs (default `render-task.ts`); tests pass one that fails on purpose. */
  taskModule?: string;
}

export interface RenderPool {
  renderTile: RenderTile;
  /** A tile with its deep reference orbit as input and output (functions/lib/tile-renderer.ts caches orbits). */
  renderTileWithReference: RenderTileWithReference;
  renderView: RenderView;
  /** An export part's palette indices. */
  renderViewIndices(view: ViewSpec): Promise<Uint8Array>;
  readonly threads: number;
  /** Tasks the workers have finished (including failed ones). */
  readonly completed: number;
  /** Resolves once workers have loaded the render core and rendered a tile; rejects with why they could not. */
  ready(): Promise<void>;
  /** Finishes the tasks already given, then stops the workers. */
  close(): Promise<void>;
}

export function defaultRenderThreads(): number {
  return os.availableParallelism();
}

export function createRenderPool(options: RenderPoolOptions = {}): RenderPool {
  const threads = options.threads ?? defaultRenderThreads();
  if (!Number.isInteger(threads) || threads < 1) {
    throw new RangeError(`render threads must be a whole number ≥ 1, got ${threads}`);
  }
  const taskModule = options.taskModule ?? fileURLToPath(new URL("./render-task.ts", import.meta.url));
  const pool = new Piscina<RenderTask, Uint8Array | Uint8ClampedArray | RenderedTile | TooCostlyReply>({
    filename: new URL("./render-worker.mjs", import.meta.url).href,
    minThreads: threads,
    maxThreads: threads,
    // Rendering is CPU-bound: a worker never idles out while the server runs.
    idleTimeout: Number.POSITIVE_INFINITY,
    execArgv: [],
    workerData: { taskModule: pathToFileURL(taskModule).href },
  });
  // A worker failing outside any task (a task's own failure rejects its promise instead):
  // log it; piscina replaces the worker.
  pool.on("error", (error: unknown) => {
    console.error(`render pool: a worker failed: ${error instanceof Error ? error.message : String(error)}`);
  });
  const renderTile = (spec: TileSpec) => pool.run({ kind: "tile", spec }) as Promise<Uint8Array>;
  return {
    renderTile,
    renderTileWithReference: async (spec: TileSpec, storedReference?: Uint8Array, limits?: RenderLimits) => {
      const reply = (await pool.run({ kind: "tile-with-reference", spec, storedReference, limits })) as
        | RenderedTile
        | TooCostlyReply;
      if ("tooCostly" in reply) {
        const { estimatedSteps, maxLoopSteps, newReference } = reply.tooCostly;
        throw new LoopTooCostlyError(estimatedSteps, maxLoopSteps, newReference);
      }
      return reply;
    },
    renderView: (view: ViewSpec) => pool.run({ kind: "view", view }) as Promise<Uint8ClampedArray>,
    renderViewIndices: (view: ViewSpec) => pool.run({ kind: "viewIndices", view }) as Promise<Uint8Array>,
    threads,
    get completed() {
      return pool.completed;
    },
    async ready() {
      // The z0 tile takes milliseconds; one per thread so every worker starting now gets to load.
      const tile: TileSpec = { z: 0, x: 0n, y: 0n, scale: 1, palette: DEFAULT_PALETTE };
      await Promise.all(Array.from({ length: threads }, () => renderTile(tile)));
    },
    // Lets tasks in flight finish (milliseconds each) rather than failing them with "Terminating worker thread".
    close: () => pool.close(),
  };
}
