/**
 * One thread of the deep-tile pool (deep-threads.ts): counts bands of a tile's pixels with the
 * render core's own loop. scripts/build-wasm.mjs bundles this file into a string module
 * (functions/lib/build/deep-thread-source.js) that any bundle carries, so Lambda needs no extra file.
 */
import { parentPort } from "node:worker_threads";
import { countGrids, type LoopOptions, type PixelGrid, type ReferenceOrbit } from "../../packages/render/index";

export interface DeepThreadTask {
  id: number;
  refId: number;
  /** Sent once per thread per reference: the thread keeps the last one it got. */
  ref?: Omit<ReferenceOrbit, "ms">;
  grids: PixelGrid[];
  maxIter: number;
  opts: LoopOptions;
}

let held: { id: number; ref: ReferenceOrbit } | undefined;

parentPort?.on("message", (task: DeepThreadTask) => {
  try {
    if (task.ref) held = { id: task.refId, ref: { ...task.ref, ms: 0 } };
    if (held?.id !== task.refId) throw new Error(`deep thread: reference ${task.refId} was never sent`);
    const results = countGrids(held.ref, task.grids, task.maxIter, task.opts);
    const buffers = results.flatMap((r) => [r.counts.buffer, r.escapeRe.buffer, r.escapeIm.buffer]);
    parentPort?.postMessage({ id: task.id, results }, buffers as ArrayBuffer[]);
  } catch (error) {
    parentPort?.postMessage({ id: task.id, error: error instanceof Error ? error.message : String(error) });
  }
});
