/**
 * The exports API: `POST /exports` submits a job (202, `Location` and `statusUrl` to poll),
 * `GET /exports/{id}` reports it. Rendering happens in the queue's workers (export-worker.ts).
 */
import type { APIGatewayProxyEventV2, Context } from "aws-lambda";
import { EXPORT_LIMITS } from "../../packages/export/index";
import { answerError } from "./answer-error";
import { EnqueueError, type ExportJobs } from "./export-jobs";
import { EXPORT_QUEUE } from "./export-queue";
import { HttpError, jsonResponse, methodOf, pathSegments, type HttpResult } from "./http";
import { describeError, finishResponse, type Telemetry } from "./observability";
import { resolveRoute } from "./router";
import { EXPORT_ROUTES, EXPORT_STATUS_URL_TEMPLATE } from "./routes";

/** Coordinates may carry thousands of digits (MAX_DECIMAL_LENGTH each); nothing needs more than this. */
export const MAX_EXPORT_BODY_BYTES = 16 * 1024;

export interface ExportsHandlerDeps {
  jobs: ExportJobs;
  telemetry: Telemetry;
}

export function createExportsHandler(deps: ExportsHandlerDeps) {
  const { logger, metrics } = deps.telemetry;

  async function answer(event: APIGatewayProxyEventV2, method: string): Promise<HttpResult> {
    const { params } = resolveRoute(EXPORT_ROUTES, method, pathSegments(event.rawPath ?? "/"));
    if (params.kind === "submit") {
      const job = await submit(bodyJson(event));
      const statusUrl = EXPORT_STATUS_URL_TEMPLATE.replace("{id}", job.id);
      logger.info("export submitted", {
        id: job.id,
        width: job.spec.width,
        height: job.spec.height,
        kind: job.spec.kind,
        parts: job.parts,
      });
      return jsonResponse(202, { id: job.id, statusUrl, status: job.state, parts: job.parts }, { location: statusUrl });
    }
    const status = await deps.jobs.status(params.id);
    if (!status) throw new HttpError(404, "not_found", `no export job ${JSON.stringify(params.id.slice(0, 64))}`);
    return jsonResponse(200, status);
  }

  /** A queue outage is the client's to retry, not a 500: 503 with Retry-After; the job is marked failed. */
  async function submit(body: unknown) {
    try {
      return await deps.jobs.submit(body);
    } catch (error) {
      if (!(error instanceof EnqueueError)) throw error;
      logger.error("export not queued", { id: error.jobId, error: describeError(error) });
      const seconds = EXPORT_QUEUE.submitRetryAfterSeconds;
      throw new HttpError(
        503,
        "queue_unavailable",
        `the export queue is not taking jobs right now (job ${error.jobId} was marked failed); submit again in ${seconds} s`,
        { "retry-after": String(seconds) },
      );
    }
  }

  return async function exportsHandler(event: APIGatewayProxyEventV2, context?: Context): Promise<HttpResult> {
    const requestId = event.requestContext?.requestId ?? context?.awsRequestId;
    const method = methodOf(event);
    let result: HttpResult;
    try {
      result = await answer(event, method);
    } catch (error) {
      result = answerError(error, { telemetry: deps.telemetry, requestId, path: event.rawPath });
    }
    return finishResponse(result, method, metrics);
  };
}

function bodyJson(event: APIGatewayProxyEventV2): unknown {
  const raw =
    event.body === undefined
      ? ""
      : event.isBase64Encoded
        ? Buffer.from(event.body, "base64").toString("utf8")
        : event.body;
  if (Buffer.byteLength(raw) > MAX_EXPORT_BODY_BYTES) {
    throw new HttpError(413, "body_too_large", `body: at most ${MAX_EXPORT_BODY_BYTES} bytes`);
  }
  if (raw.trim() === "") {
    throw new HttpError(
      400,
      "invalid_parameter",
      `body: send JSON such as {"re":"-0.75","im":"0.1","zoom":3,"width":${EXPORT_LIMITS.maxSide},"height":${EXPORT_LIMITS.maxSide}}`,
    );
  }
  try {
    return JSON.parse(raw);
  } catch {
    throw new HttpError(400, "invalid_json", "body: is not valid JSON");
  }
}
