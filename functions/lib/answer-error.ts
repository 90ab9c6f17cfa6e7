import { ValidationError } from "../../packages/render/index";
import { HttpError, errorResponse, internalErrorResponse, type HttpResult } from "./http";
import { METRIC, MetricUnit, describeError, type Telemetry } from "./observability";

/**
 * Turns anything thrown below a handler into a response: client mistakes are
 * 4xx, everything else is a logged and counted 500 (ServerErrors), which the
 * deploy's alarms watch.
 */
export function answerError(
  error: unknown,
  ctx: { telemetry: Telemetry; requestId?: string; path?: string },
): HttpResult {
  if (error instanceof HttpError) return errorResponse(error);
  if (error instanceof ValidationError) return errorResponse(new HttpError(400, "invalid_parameter", error.message));
  ctx.telemetry.metrics.addMetric(METRIC.ServerErrors, MetricUnit.Count, 1);
  ctx.telemetry.logger.error("unhandled error", {
    requestId: ctx.requestId,
    path: ctx.path?.slice(0, 256),
    error: describeError(error),
  });
  return internalErrorResponse();
}
