/**
 * The queue's consumer: one SQS batch of part messages, and of slow deep tiles the tile function
 * sent here (slow-tiles.ts). Each message succeeds or fails on its own
 * (`batchItemFailures`, with ReportBatchItemFailures on the event source), so one bad part never
 * re-delivers its neighbours. A part failing its last allowed delivery (maxReceiveCount) fails the
 * job with the reason before SQS moves the message to the dead-letter queue.
 */
import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import type { PartMessage } from "../../packages/export/index";
import type { ExportJobs } from "./export-jobs";
import { EXPORT_QUEUE } from "./export-queue";
import { describeError, type Telemetry } from "./observability";
import { isTileRenderMessage, type SlowTileOutcome, type TileRenderMessage } from "./slow-tiles";

export interface ExportWorkerDeps {
  jobs: ExportJobs;
  telemetry: Telemetry;
  maxReceiveCount?: number;
  /** Renders a slow tile into the tile store (createSlowTileWorker); unset: tile messages fail. */
  renderSlowTile?: (message: TileRenderMessage) => Promise<SlowTileOutcome>;
}

/** Any message on the exports queue: a part of a job, or a tile. */
export type ExportQueueMessage = PartMessage | TileRenderMessage;

export function parseQueueMessage(body: string): ExportQueueMessage {
  const value: unknown = JSON.parse(body);
  return isTileRenderMessage(value) ? value : parsePartMessage(body);
}

export function parsePartMessage(body: string): PartMessage {
  const value = JSON.parse(body) as Partial<PartMessage>;
  if (typeof value?.jobId !== "string" || !Number.isInteger(value.part) || (value.part as number) < 0) {
    throw new Error(`not a part message: ${body.slice(0, 128)}`);
  }
  return { jobId: value.jobId, part: value.part as number };
}

export function createExportWorker(deps: ExportWorkerDeps) {
  const maxReceiveCount = deps.maxReceiveCount ?? EXPORT_QUEUE.maxReceiveCount;
  const { logger } = deps.telemetry;

  return async function exportWorker(event: SQSEvent): Promise<SQSBatchResponse> {
    const batchItemFailures: SQSBatchResponse["batchItemFailures"] = [];
    for (const record of event.Records) {
      let message: PartMessage | undefined;
      try {
        const parsed = parseQueueMessage(record.body);
        if (isTileRenderMessage(parsed)) {
          // A tile that fails every delivery has no job to fail: its marker ages out, a request sends it again.
          if (!deps.renderSlowTile) throw new Error("this worker renders no tiles");
          const outcome = await deps.renderSlowTile(parsed);
          logger.info("slow tile", { ...parsed, outcome });
          continue;
        }
        message = parsed;
        const outcome = await deps.jobs.processPart(message);
        logger.info("export part", { ...message, outcome });
      } catch (error) {
        const receives = Number(record.attributes?.ApproximateReceiveCount ?? "1");
        const reason = error instanceof Error ? error.message : String(error);
        logger.error("export part failed", {
          messageId: record.messageId,
          ...message,
          receives,
          error: describeError(error),
        });
        if (message && receives >= maxReceiveCount) {
          await deps.jobs
            .failJob(message.jobId, `part ${message.part} failed ${receives} times: ${reason}`)
            .catch((failError: unknown) =>
              logger.error("could not mark the export failed", { ...message, error: describeError(failError) }),
            );
        }
        batchItemFailures.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures };
  };
}
