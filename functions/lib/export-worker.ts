/**
 * The queue's consumer: one SQS batch of part messages. Each message succeeds or fails on its own
 * (`batchItemFailures`, with ReportBatchItemFailures on the event source), so one bad part never
 * re-delivers its neighbours. A part failing its last allowed delivery (maxReceiveCount) fails the
 * job with the reason before SQS moves the message to the dead-letter queue.
 */
import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import type { PartMessage } from "../../packages/export/index";
import type { ExportJobs } from "./export-jobs";
import { EXPORT_QUEUE } from "./export-queue";
import { describeError, type Telemetry } from "./observability";

export interface ExportWorkerDeps {
  jobs: ExportJobs;
  telemetry: Telemetry;
  maxReceiveCount?: number;
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
        message = parsePartMessage(record.body);
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
