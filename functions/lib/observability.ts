/**
 * Powertools logger and metrics, configured the way the deploy's alarms
 * expect: namespace `Fractile`, dimensions `service` and `FunctionVersion`.
 */
import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import { finalizeResponse, type HttpResult } from "./http";

export { MetricUnit };

/** Metric names the deploy's alarms and dashboards select by; do not rename. */
export const METRIC = {
  TileRequests: "TileRequests",
  ImageRequests: "ImageRequests",
  CacheHits: "CacheHits",
  RenderMs: "RenderMs",
  ClientErrors: "ClientErrors",
  ServerErrors: "ServerErrors",
  CacheErrors: "CacheErrors",
  /** Misses of another render version answered by the version that owns it. */
  ForwardedTiles: "ForwardedTiles",
  /** Deep tiles too costly for the request path, sent to the export worker (slow-tiles.ts). */
  SlowTiles: "SlowTiles",
} as const;

export interface Telemetry {
  logger: Logger;
  metrics: Metrics;
}

export function functionVersion(): string {
  return process.env.AWS_LAMBDA_FUNCTION_VERSION || "$LATEST";
}

export function createTelemetry(
  options: { defaultServiceName?: string; logLevel?: string; functionVersion?: string } = {},
): Telemetry {
  const serviceName = process.env.POWERTOOLS_SERVICE_NAME || options.defaultServiceName || "fractile";
  const logger = new Logger({
    serviceName,
    ...(options.logLevel ? { logLevel: options.logLevel as never } : {}),
  });
  const metrics = new Metrics({
    namespace: process.env.POWERTOOLS_METRICS_NAMESPACE || "Fractile",
    serviceName,
    defaultDimensions: { FunctionVersion: options.functionVersion ?? functionVersion() },
  });
  return { logger, metrics };
}

/** Flushes this request's metrics as one EMF line (skipped when none were added). */
export function publishMetrics(metrics: Metrics): void {
  if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
}

/** The store fault reporter every runtime wires into its TileStore. */
export function storeFaultReporter(telemetry: Telemetry) {
  return (fault: { operation: string; key: string; error: unknown }): void => {
    telemetry.metrics.addMetric(METRIC.CacheErrors, MetricUnit.Count, 1);
    telemetry.logger.warn("tile store fault; serving without cache", {
      operation: fault.operation,
      key: fault.key,
      error: describeError(fault.error),
    });
  };
}

export function describeError(error: unknown): { name: string; message: string; status?: number } {
  if (error instanceof Error) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    return { name: error.name, message: error.message, ...(status ? { status } : {}) };
  }
  return { name: "unknown", message: String(error) };
}

/** Every HTTP answer's last step: finalize it for the method, count a 4xx, flush the metrics. */
export function finishResponse(result: HttpResult, method: string, metrics: Metrics): HttpResult {
  const final = finalizeResponse(result, method);
  if (final.statusCode >= 400 && final.statusCode < 500) metrics.addMetric(METRIC.ClientErrors, MetricUnit.Count, 1);
  publishMetrics(metrics);
  return final;
}
