/**
 * The rollback drill: a tile function version deployed with
 * `FRACTILE_DRILL_FAULT_RATE` and/or `FRACTILE_DRILL_LATENCY_MS` misbehaves on
 * purpose, so a team can watch the release alarms roll it back (runbook:
 * docs/operations.md, "Rollback drill"). The variables are set at synth time
 * for one stage (stacks/parts/drill.ts refuses prod); Lambda snapshots a function's
 * environment into each published version, so only the version deployed with
 * them misbehaves and the version it rolls back to does not.
 *
 * Only tile requests arriving through the alias are drilled: the pre-traffic
 * hook's direct requests are answered normally, because the drill exercises
 * the alarms, not the hook (a drilled hook would fail the release before any
 * traffic moved, and nothing would be seen).
 */
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { isPreTrafficHookRequest } from "./deploy/api-event";
import { finalizeResponse, jsonResponse, methodOf, pathSegments, type HttpResult } from "./http";
import { METRIC, MetricUnit, publishMetrics, type Telemetry } from "./observability";
import { TILE_ROUTES } from "./routes";

/** The environment variables of the drill; the stack sets them, the tile function reads them. */
export const DRILL_ENV = {
  faultRate: "FRACTILE_DRILL_FAULT_RATE",
  latencyMs: "FRACTILE_DRILL_LATENCY_MS",
} as const;

/**
 * Bounded so a typo cannot park requests for long. Above the function's
 * timeout (FUNCTION_TIMEOUT_SECONDS) the drill produces timeouts, which Lambda counts as
 * Errors, instead of slow answers.
 */
export const MAX_DRILL_LATENCY_MS = 60_000;

export interface DrillSettings {
  /** Fraction 0..1 of tile requests answered 500. */
  faultRate: number;
  /** Milliseconds added before every tile request. */
  latencyMs: number;
}

export class DrillSettingError extends Error {}

/** The drill an environment asks for; undefined when neither variable is set (the normal case). */
export function drillFromEnv(env: Readonly<Record<string, string | undefined>>): DrillSettings | undefined {
  const rawRate = env[DRILL_ENV.faultRate]?.trim() ?? "";
  const rawLatency = env[DRILL_ENV.latencyMs]?.trim() ?? "";
  if (rawRate === "" && rawLatency === "") return undefined;
  const faultRate = rawRate === "" ? 0 : Number(rawRate);
  if (!Number.isFinite(faultRate) || faultRate < 0 || faultRate > 1) {
    throw new DrillSettingError(`${DRILL_ENV.faultRate} must be a number from 0 to 1; got ${JSON.stringify(rawRate)}`);
  }
  const latencyMs = rawLatency === "" ? 0 : Number(rawLatency);
  if (!Number.isInteger(latencyMs) || latencyMs < 0 || latencyMs > MAX_DRILL_LATENCY_MS) {
    throw new DrillSettingError(
      `${DRILL_ENV.latencyMs} must be a whole number of milliseconds from 0 to ${MAX_DRILL_LATENCY_MS}; ` +
        `got ${JSON.stringify(rawLatency)}`,
    );
  }
  return { faultRate, latencyMs };
}

/** The variables a drill is deployed with (only those that do something). */
export function drillEnvironment(drill: DrillSettings): Record<string, string> {
  return {
    ...(drill.faultRate > 0 ? { [DRILL_ENV.faultRate]: String(drill.faultRate) } : {}),
    ...(drill.latencyMs > 0 ? { [DRILL_ENV.latencyMs]: String(drill.latencyMs) } : {}),
  };
}

export interface DrillDeps {
  telemetry: Telemetry;
  /** Uniform [0, 1); tests inject a seeded one. */
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

function isHttpEvent(event: unknown): event is APIGatewayProxyEventV2 {
  return typeof (event as APIGatewayProxyEventV2)?.rawPath === "string";
}

/**
 * Wraps the tile handler: every drilled tile request waits `latencyMs`, then
 * a `faultRate` share of them is answered 500 `drill_fault` (counted as
 * ServerErrors, like any 500 the handler returns) instead of reaching it.
 */
export function withDrill<E, C, R>(
  handler: (event: E, context?: C) => Promise<R>,
  drill: DrillSettings | undefined,
  deps: DrillDeps,
): (event: E, context?: C) => Promise<R | HttpResult> {
  if (!drill) return handler;
  const random = deps.random ?? Math.random;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const { metrics, logger } = deps.telemetry;
  return async (event, context) => {
    if (!isHttpEvent(event) || !isTileRequest(event.rawPath) || isPreTrafficHookRequest(event)) {
      return handler(event, context);
    }
    if (drill.latencyMs > 0) await sleep(drill.latencyMs);
    if (drill.faultRate === 0 || random() >= drill.faultRate) return handler(event, context);
    metrics.addMetric(METRIC.TileRequests, MetricUnit.Count, 1);
    metrics.addMetric(METRIC.ServerErrors, MetricUnit.Count, 1);
    publishMetrics(metrics);
    logger.info("drill fault", { path: event.rawPath.slice(0, 256), faultRate: drill.faultRate });
    const detail =
      `rollback drill: this version answers ${Math.round(drill.faultRate * 100)} % of tile requests ` +
      "with 500 on purpose " +
      `(${DRILL_ENV.faultRate}); its release alarms should roll it back`;
    return finalizeResponse(jsonResponse(500, { error: "drill_fault", detail }), methodOf(event));
  };
}

/** A path the route table gives to a tile (not /health, /meta or a malformed path, which get their normal answers). */
function isTileRequest(rawPath: string): boolean {
  try {
    const segments = pathSegments(rawPath);
    return TILE_ROUTES.some((route) => route.match(segments)?.kind === "tile");
  } catch {
    return false;
  }
}
