/**
 * Local mode's stand-in for SQS: an in-process queue that hands part messages to the export jobs
 * (functions/lib/export-jobs.ts, the code the Lambda worker runs), a few at a time so the render
 * pool stays busy, and redelivers a failed message like SQS would, up to maxReceiveCount; after
 * that the job fails with the reason (what the dead-letter queue means on AWS).
 */
import type { PartMessage } from "../../packages/export/index";
import type { ExportJobs } from "../../functions/lib/export-jobs";
import { EXPORT_QUEUE } from "../../functions/lib/export-queue";

export interface LocalExportQueueOptions {
  /** Parts in flight at once; the render pool's thread count keeps every worker busy. */
  concurrency: number;
  maxReceiveCount?: number;
  onError?: (message: PartMessage, receives: number, error: unknown) => void;
}

export interface LocalExportQueue {
  enqueue(messages: PartMessage[]): Promise<void>;
  /** Connects the consumer; messages enqueued before wait for it. */
  consumeWith(jobs: ExportJobs): void;
  /** Resolves when no message is waiting or in flight. */
  idle(): Promise<void>;
}

export function createLocalExportQueue(options: LocalExportQueueOptions): LocalExportQueue {
  const maxReceiveCount = options.maxReceiveCount ?? EXPORT_QUEUE.maxReceiveCount;
  const waiting: { message: PartMessage; receives: number }[] = [];
  let inFlight = 0;
  let jobs: ExportJobs | undefined;
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

  async function deliver(consumer: ExportJobs, item: { message: PartMessage; receives: number }): Promise<void> {
    try {
      await consumer.processPart(item.message);
    } catch (error) {
      options.onError?.(item.message, item.receives, error);
      if (item.receives < maxReceiveCount) {
        waiting.push(item); // redelivered, as SQS does after the visibility timeout
        return;
      }
      const reason = error instanceof Error ? error.message : String(error);
      await consumer
        .failJob(item.message.jobId, `part ${item.message.part} failed ${item.receives} times: ${reason}`)
        .catch(() => undefined);
    }
  }

  return {
    async enqueue(messages) {
      waiting.push(...messages.map((message) => ({ message, receives: 0 })));
      queueMicrotask(pump);
    },
    consumeWith(consumer) {
      jobs = consumer;
      pump();
    },
    idle: () =>
      new Promise<void>((resolve) => {
        idleWaiters.push(resolve);
        pump();
      }),
  };
}
