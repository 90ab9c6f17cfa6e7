/**
 * Export wiring from the environment, the same way on Lambda and locally: `TILE_BUCKET` set →
 * S3 objects (at `S3_ENDPOINT` when given, e.g. radosgw) with presigned download links, otherwise
 * files under `EXPORT_DIR` (default `.cache/exports`). On Lambda `EXPORT_QUEUE_URL` names the SQS
 * queue the parts go to.
 */
import { S3Client } from "@aws-sdk/client-s3";
import { SQSClient, SendMessageBatchCommand } from "@aws-sdk/client-sqs";
import type { PartMessage } from "../../packages/export/index";
import { FsExportObjects, S3ExportObjects, type ExportObjects } from "./export-objects";

export const DEFAULT_EXPORT_DIR = ".cache/exports";

export function exportObjectsFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  urlOf?: (key: string) => string,
): ExportObjects {
  const bucket = env.TILE_BUCKET?.trim();
  if (bucket) {
    const endpoint = env.S3_ENDPOINT?.trim() || undefined;
    // The SDK's default retries and timeouts, unlike the tile cache's fail-fast client: a job's
    // record and parts must be written, and nothing waits on them but the queue.
    const client = new S3Client({
      region: env.AWS_REGION ?? "us-east-1",
      ...(endpoint ? { endpoint, forcePathStyle: true } : {}),
    });
    return new S3ExportObjects(client, bucket);
  }
  return new FsExportObjects(env.EXPORT_DIR?.trim() || DEFAULT_EXPORT_DIR, urlOf);
}

/** SQS takes at most 10 messages per SendMessageBatch. */
const SQS_BATCH = 10;

export function sqsEnqueue<M = PartMessage>(
  queueUrl: string,
  client: SQSClient = new SQSClient({}),
): (messages: M[]) => Promise<void> {
  return async (messages) => {
    for (let start = 0; start < messages.length; start += SQS_BATCH) {
      const batch = messages.slice(start, start + SQS_BATCH);
      const out = await client.send(
        new SendMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: batch.map((message, i) => ({ Id: String(i), MessageBody: JSON.stringify(message) })),
        }),
      );
      if (out.Failed?.length)
        throw new Error(
          `SQS refused ${out.Failed.length} part messages: ${out.Failed[0].Message ?? out.Failed[0].Code}`,
        );
    }
  };
}
