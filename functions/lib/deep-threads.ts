/**
 * A pool of worker threads for deep tiles on hosts with several vCPUs (a Lambda with more than
 * ONE_VCPU_MB): the probes and proofs stay on the calling thread, the loop's bands go to the
 * threads, one band at a time to whichever is free (rows cost very different amounts). Any split
 * gives the same counts, so the same bytes (packages/deep renderDeepTileWith). If a thread fails,
 * the pool counts in-process from then on: slower, same bytes.
 */
import { Worker } from "node:worker_threads";
import {
  countGrids,
  isDeepTile,
  renderTileWithReference,
  renderTileWithReferenceUsing,
  type GridCounter,
  type PixelCounts,
  type ReferenceOrbit,
} from "../../packages/render/index";
import type { DeepThreadTask } from "./deep-thread-worker";
import type { RenderTileWithReference } from "./tile-renderer";

interface Reply {
  id: number;
  results?: PixelCounts[];
  error?: string;
}

interface Thread {
  worker: Worker;
  dead: boolean;
  /** The reference this thread holds (DeepThreadTask.refId). */
  refId?: number;
  pending: Map<number, { resolve: (r: PixelCounts[]) => void; reject: (e: Error) => void }>;
}

export interface DeepThreadPool {
  size: number;
  counter: GridCounter;
  close(): Promise<void>;
}

export function createDeepThreadPool(size: number, source: string): DeepThreadPool {
  const refIds = new WeakMap<ReferenceOrbit, number>();
  let nextRefId = 1;
  let nextTaskId = 1;
  let threads: Thread[] | undefined;
  let broken = false;

  const spawn = (): Thread[] =>
    Array.from({ length: size }, () => {
      const worker = new Worker(source, { eval: true });
      worker.unref(); // an idle pool never keeps a process alive
      const thread: Thread = { worker, dead: false, pending: new Map() };
      const failAll = (error: Error) => {
        broken = true;
        thread.dead = true;
        for (const { reject } of thread.pending.values()) reject(error);
        thread.pending.clear();
      };
      worker.on("message", (reply: Reply) => {
        const waiting = thread.pending.get(reply.id);
        thread.pending.delete(reply.id);
        if (reply.results) waiting?.resolve(reply.results);
        else waiting?.reject(new Error(reply.error ?? "deep thread: empty reply"));
      });
      worker.on("error", failAll);
      worker.on("exit", (code) => failAll(new Error(`deep thread exited with code ${code}`)));
      return thread;
    });

  const run = (thread: Thread, task: Omit<DeepThreadTask, "id" | "ref">, ref: ReferenceOrbit) =>
    new Promise<PixelCounts[]>((resolve, reject) => {
      if (thread.dead) return reject(new Error("deep thread is gone"));
      const id = nextTaskId++;
      thread.pending.set(id, { resolve, reject });
      const send: DeepThreadTask = { ...task, id };
      if (thread.refId !== task.refId) {
        const { ms: _, ...plain } = ref;
        send.ref = plain;
        thread.refId = task.refId;
      }
      thread.worker.postMessage(send);
    });

  const counter: GridCounter = async (ref, grids, maxIter, opts) => {
    if (broken) return countGrids(ref, grids, maxIter, opts);
    try {
      threads ??= spawn();
    } catch {
      broken = true; // no threads here (resource limits): count in-process, same bytes
      return countGrids(ref, grids, maxIter, opts);
    }
    let refId = refIds.get(ref);
    if (refId === undefined) {
      refId = nextRefId++;
      refIds.set(ref, refId);
    }
    const results: PixelCounts[] = new Array(grids.length);
    let next = 0;
    const feed = async (thread: Thread) => {
      while (next < grids.length) {
        const i = next++;
        [results[i]] = await run(thread, { refId: refId!, grids: [grids[i]], maxIter, opts }, ref);
      }
    };
    try {
      await Promise.all(threads.map(feed));
      return results;
    } catch {
      broken = true; // a thread died: count here from now on, the bytes are the same
      return countGrids(ref, grids, maxIter, opts);
    }
  };

  return {
    size,
    counter,
    async close() {
      const running = threads ?? [];
      threads = undefined;
      broken = true;
      await Promise.all(running.map((t) => t.worker.terminate()));
    },
  };
}

/**
 * The tile renderer for a host with `threads` vCPUs: deep tiles' loops on a pool of that many
 * threads (started at the first deep tile), everything else as renderTileWithReference.
 */
export function threadedTileRenderer(threads: number): RenderTileWithReference {
  let pool: Promise<DeepThreadPool> | undefined;
  return async (spec, storedReference, limits) => {
    if (!isDeepTile(spec)) return renderTileWithReference(spec, storedReference);
    pool ??= import("./build/deep-thread-source.js").then((m) => createDeepThreadPool(threads, m.DEEP_THREAD_SOURCE));
    return renderTileWithReferenceUsing((await pool).counter, spec, storedReference, limits);
  };
}
