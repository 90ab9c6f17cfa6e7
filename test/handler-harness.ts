/**
 * Helpers for calling the Lambda handlers directly in tests: API Gateway
 * (payload 2.0) events from functions/lib/api-event.ts, quiet telemetry whose
 * EMF output is captured, and decoding of results.
 */
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { vi } from "vitest";
import { apiGatewayEvent } from "../functions/lib/api-event";
import type { HttpResult } from "../functions/lib/http";
import { createTelemetry, type Telemetry } from "../functions/lib/observability";

/** A request as API Gateway hands it to a handler; `query` is encoded into the target. */
export function apiEvent(
  method: string,
  rawPath: string,
  options: { headers?: Record<string, string>; query?: Record<string, string> } = {},
): APIGatewayProxyEventV2 {
  const query = new URLSearchParams(options.query ?? {}).toString();
  return apiGatewayEvent({ method, target: query ? `${rawPath}?${query}` : rawPath, headers: options.headers });
}

export interface CapturedTelemetry {
  telemetry: Telemetry;
  /** Every EMF document the handler published, as Powertools serialised it. */
  emf: Array<Record<string, unknown>>;
  /** Sum of a metric's values over all published documents. */
  total(metric: string): number;
  /** How many values of a metric were published. */
  count(metric: string): number;
}

export function capturedTelemetry(functionVersion = "$LATEST"): CapturedTelemetry {
  // Published documents are captured below instead of printed.
  process.env.POWERTOOLS_METRICS_DISABLED = "true";
  const telemetry = createTelemetry({ defaultServiceName: "fractile-test", logLevel: "SILENT", functionVersion });

  const emf: Array<Record<string, unknown>> = [];
  const { metrics } = telemetry;
  const publish = metrics.publishStoredMetrics.bind(metrics);
  vi.spyOn(metrics, "publishStoredMetrics").mockImplementation(() => {
    if (metrics.hasStoredMetrics()) emf.push(metrics.serializeMetrics() as unknown as Record<string, unknown>);
    return publish();
  });
  const values = (metric: string) =>
    emf.flatMap((doc) => {
      const value = doc[metric];
      return value === undefined ? [] : Array.isArray(value) ? (value as number[]) : [value as number];
    });
  return {
    telemetry,
    emf,
    total: (metric) => values(metric).reduce((a, b) => a + b, 0),
    count: (metric) => values(metric).length,
  };
}

export function bodyBytes(result: HttpResult): Buffer {
  return Buffer.from(result.body ?? "", result.isBase64Encoded ? "base64" : "utf8");
}

export function jsonBody(result: HttpResult): Record<string, unknown> {
  return JSON.parse(result.body ?? "");
}
