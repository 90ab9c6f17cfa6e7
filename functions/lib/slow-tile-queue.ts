/**
 * The tile function's sender of slow tiles to the exports queue (`EXPORT_QUEUE_URL`, set by the
 * stack). The SQS client is loaded at the first slow tile, not at cold start, and fails fast: a
 * queue that does not answer within a few seconds is a 503 queue_unavailable, never a hang.
 */
import type { TileRenderMessage } from "./slow-tiles";

export function slowTileQueueFromEnv(
  env: NodeJS.ProcessEnv,
): ((message: TileRenderMessage) => Promise<void>) | undefined {
  const queueUrl = env.EXPORT_QUEUE_URL?.trim();
  if (!queueUrl) return undefined;
  let send: Promise<(messages: TileRenderMessage[]) => Promise<void>> | undefined;
  return async (message) => {
    send ??= Promise.all([import("@aws-sdk/client-sqs"), import("./export-env")]).then(([sqs, env]) =>
      env.sqsEnqueue<TileRenderMessage>(
        queueUrl,
        new sqs.SQSClient({
          maxAttempts: 2,
          requestHandler: { connectionTimeout: 1000, requestTimeout: 3000, throwOnRequestTimeout: true },
        }),
      ),
    );
    await (await send)([message]);
  };
}
