/**
 * Local mode's stand-in for SQS: an in-process queue that hands part messages to the export jobs
 * (functions/lib/export-jobs.ts, the code the Lambda worker runs) and slow tiles to the slow-tile
 * worker (functions/lib/slow-tiles.ts), a few at a time so the render
 * pool stays busy, and redelivers a failed message like SQS would, up to maxReceiveCount; after
 * that the job fails with the reason (what the dead-letter queue means on AWS).
 */
import type { ExportJobs } from "../../functions/lib/export-jobs";
import { EXPORT_QUEUE } from "../../functions/lib/export-queue";
import type { ExportQueueMessage } from "../../functions/lib/export-worker";
import { isTileRenderMessage, type SlowTileOutcome, type TileRenderMessage } from "../../functions/lib/slow-tiles";

export interface LocalExportQueueOptions {
  /** Parts in flight at once; the render pool's thread count keeps every worker busy. */
  concurrency: number;
  maxReceiveCount?: number;
  onError?: (message: ExportQueueMessage, receives: number, error: unknown) => void;
}

export interface LocalExportQueue {
  enqueue(messages: ExportQueueMessage[]): Promise<void>;
  /** Connects the consumers; messages enqueued before wait for them. */
  consumeWith(jobs: ExportJobs, renderSlowTile?: (message: TileRenderMessage) => Promise<SlowTileOutcome>): void;
  /** Resolves when no message is waiting or in flight. */
  idle(): Promise<void>;
}

export function createLocalExportQueue(options: LocalExportQueueOptions): LocalExportQueue {
  const maxReceiveCount = options.maxReceiveCount ?? EXPORT_QUEUE.maxReceiveCount;
  const waiting: { message: ExportQueueMessage; receives: number }[] = [];
  let inFlight = 0;
  let jobs: ExportJobs | undefined;
  let renderSlowTile: ((message: TileRenderMessage) => Promise<SlowTileOutcome>) | undefined;
  let idleWaiters: (() => void)[] = [];

  function pump(): void {
    while (jobs && inFlight < options.concurrency && waiting.length > 0) {
      const item = waiting.shift()!;
      item.receives++;
      inFlight++;
      void deliver(jobs, item).finally(() => {
        inFlight--;
        pump();
      });
    }
    if (inFlight === 0 && waiting.length === 0) {
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  async function deliver(consumer: ExportJobs, item: { message: ExportQueueMessage; receives: number }): Promise<void> {
    const { message } = item;
    try {
      if (!isTileRenderMessage(message)) await consumer.processPart(message);
      else if (renderSlowTile) await renderSlowTile(message);
      else throw new Error("this queue renders no tiles");
    } catch (error) {
      options.onError?.(message, item.receives, error);
      if (item.receives < maxReceiveCount) {
        waiting.push(item); // redelivered, as SQS does after the visibility timeout
        return;
      }
      // A tile has no job to fail: its marker ages out and a request sends it again.
      if (isTileRenderMessage(message)) return;
      const reason = error instanceof Error ? error.message : String(error);
      await consumer
        .failJob(message.jobId, `part ${message.part} failed ${item.receives} times: ${reason}`)
        .catch(() => undefined);
    }
  }

  return {
    async enqueue(messages) {
      waiting.push(...messages.map((message) => ({ message, receives: 0 })));
      queueMicrotask(pump);
    },
    consumeWith(consumer, slowTiles) {
      jobs = consumer;
      renderSlowTile = slowTiles;
      pump();
    },
    idle: () =>
      new Promise<void>((resolve) => {
        idleWaiters.push(resolve);
        pump();
      }),
  };
}
