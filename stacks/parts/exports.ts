/**
 * Poster exports (docs/exports.md): the exports API function, an SQS queue of part messages with a
 * dead-letter queue, the worker that renders parts and assembles posters, their alarms, and the
 * lifecycle of `exports/` in the tile bucket.
 *
 * Aliases, but no CodeDeploy canary: both functions are invoked only through their `live` alias
 * (API route, event source mapping), so `release:rollback`-style repointing works, but a canary
 * would split one job's parts between two versions, and two render versions in one poster show as
 * seams. Each deploy moves the alias at once; a job in flight finishes on whichever version takes
 * its remaining parts, the same render core within one release.
 */
import { Duration } from "aws-cdk-lib";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import * as lambdaEvents from "aws-cdk-lib/aws-lambda-event-sources";
import type * as s3 from "aws-cdk-lib/aws-s3";
import * as sqs from "aws-cdk-lib/aws-sqs";
import type { Construct } from "constructs";
import { EXPORT_QUEUE } from "../../functions/lib/export-queue";
import { EXPORTS_PREFIX } from "../../packages/export/job";
import { FUNCTION_CODE, IMAGE_ARCHITECTURE } from "../function-code";
import type { StageNames } from "../naming";
import { createLiveFunction, type LiveFunction } from "./live-function";

/**
 * Alarm thresholds:
 * - DLQ depth ≥ 1: every message there is a part that failed maxReceiveCount times, i.e. a job
 *   that reported `failed`; rendering is deterministic, so even one means a bug or a bad input the
 *   validation let through.
 * - Oldest message ≥ 15 min: a 16384² poster is ~116 parts of a few seconds each; with a handful
 *   of concurrent workers the queue drains in a few minutes. A part waiting 15 minutes means the
 *   workers are stuck, throttled or failing (redeliveries keep the oldest age growing).
 */
export const EXPORT_ALARMS = { deadLetterMessages: 1, oldestMessageSeconds: 15 * 60 } as const;

export interface Exports {
  api: LiveFunction;
  worker: LiveFunction;
  queue: sqs.Queue;
  deadLetters: sqs.Queue;
  alarms: cloudwatch.Alarm[];
}

export function createExports(
  scope: Construct,
  props: {
    names: StageNames;
    bucket: s3.Bucket;
    /** The tile cache's key patterns (`tiles/*`, `refs/*`), as the tile function is granted them. */
    tileCacheKeys: readonly string[];
  },
): Exports {
  const { names, bucket, tileCacheKeys } = props;
  const deadLetters = new sqs.Queue(scope, "ExportDeadLetters", {
    enforceSSL: true,
    // The longest SQS keeps anything: time to read why a part failed.
    retentionPeriod: Duration.days(14),
  });
  const queue = new sqs.Queue(scope, "ExportQueue", {
    enforceSSL: true,
    visibilityTimeout: Duration.seconds(EXPORT_QUEUE.visibilityTimeoutSeconds),
    retentionPeriod: Duration.days(EXPORT_QUEUE.expiryDays),
    deadLetterQueue: { queue: deadLetters, maxReceiveCount: EXPORT_QUEUE.maxReceiveCount },
  });

  const api = createLiveFunction(scope, "Exports", {
    role: "exports",
    names,
    ...FUNCTION_CODE.exports,
    architecture: "arm_64",
    timeoutSeconds: 10,
  });
  api.fn.addEnvironment("TILE_BUCKET", bucket.bucketName);
  api.fn.addEnvironment("EXPORT_QUEUE_URL", queue.queueUrl);
  queue.grantSendMessages(api.fn);
  // Records and download links: read and write under exports/ only.
  bucket.grantReadWrite(api.fn, `${EXPORTS_PREFIX}*`);

  const worker = createLiveFunction(scope, "ExportWorker", {
    role: "export-worker",
    names,
    ...FUNCTION_CODE.exportWorker,
    // Its bundle carries the canvas binary of this architecture (webp posters).
    architecture: IMAGE_ARCHITECTURE,
    timeoutSeconds: EXPORT_QUEUE.workerTimeoutSeconds,
    memoryMb: EXPORT_QUEUE.workerMemoryMb,
  });
  worker.fn.addEnvironment("TILE_BUCKET", bucket.bucketName);
  bucket.grantReadWrite(worker.fn, `${EXPORTS_PREFIX}*`);
  bucket.grantDelete(worker.fn, `${EXPORTS_PREFIX}*`); // the assembly lock
  // Posters on the tile grid read cached tiles and store the ones they render (docs/exports.md,
  // "Reusing cached tiles") with deep tiles' reference orbits: the tile function's own rights on
  // the tile cache, read and put, no delete.
  for (const keys of tileCacheKeys) {
    bucket.grantRead(worker.fn, keys);
    bucket.grantPut(worker.fn, keys);
  }
  worker.alias.addEventSource(
    new lambdaEvents.SqsEventSource(queue, { batchSize: EXPORT_QUEUE.batchSize, reportBatchItemFailures: true }),
  );

  bucket.addLifecycleRule({
    id: "expire-exports",
    prefix: EXPORTS_PREFIX,
    expiration: Duration.days(EXPORT_QUEUE.expiryDays),
    abortIncompleteMultipartUploadAfter: Duration.days(1),
  });

  const alarms = [
    new cloudwatch.Alarm(scope, "ExportDeadLettersAlarm", {
      alarmName: `${names.alarmPrefix}exports-dead-letters`,
      alarmDescription: "Export parts failed every delivery; their jobs report failed. Read the messages in the DLQ.",
      metric: deadLetters.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(1),
        statistic: "Maximum",
      }),
      threshold: EXPORT_ALARMS.deadLetterMessages,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    }),
    new cloudwatch.Alarm(scope, "ExportQueueAgeAlarm", {
      alarmName: `${names.alarmPrefix}exports-queue-age`,
      alarmDescription: "Export parts have waited too long: workers stuck, throttled or failing.",
      metric: queue.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(1), statistic: "Maximum" }),
      threshold: EXPORT_ALARMS.oldestMessageSeconds,
      evaluationPeriods: 3,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    }),
  ];
  return { api, worker, queue, deadLetters, alarms };
}
