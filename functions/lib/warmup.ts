/**
 * The scheduled warm-up event: `{ "fractile": "warmup", "fanOut": N, "prefillMaxZoom": 3 }`.
 *
 * It keeps N instances of the *alias* warm by invoking it N times at once
 * (each copy holds briefly so the copies land on distinct instances), and it
 * prefills the shallow tiles of the default palette so first visitors hit
 * the cache.
 */
import type { Logger } from "@aws-lambda-powertools/logger";
import type { TileStore } from "../../packages/cache/index";
import type { PaletteName } from "../../packages/render/index";
import type { LambdaInvoker } from "./lambda-invoker";
import { describeError } from "./observability";
import { prefillTiles, type PrefillResult } from "./prefill";
import type { RenderTile } from "./renderers";

export const MAX_FAN_OUT = 50;
export const MAX_WARMUP_PREFILL_ZOOM = 4;

export interface WarmupEvent {
  fractile: "warmup";
  fanOut?: unknown;
  prefillMaxZoom?: unknown;
}

export interface WarmupResult {
  warmed: true;
  functionVersion: string;
  renderVersion: string;
  fannedOut: number;
  prefill: PrefillResult;
}

export interface WarmupDeps {
  store: TileStore;
  logger: Logger;
  renderVersion: string;
  functionVersion: string;
  render: RenderTile;
  defaultPalette: PaletteName;
  lambda?: LambdaInvoker;
  /** Alias ARN to fan out to (`WARM_TARGET_ARN`, checked by warmTargetFromEnv); unset means no fan-out. */
  targetArn?: string;
  /** How long a fanned-out copy stays busy, so concurrent copies need distinct instances. */
  holdMs?: number;
}

export function isWarmupEvent(event: unknown): event is WarmupEvent {
  return typeof event === "object" && event !== null && (event as { fractile?: unknown }).fractile === "warmup";
}

/** Only a qualified ARN whose qualifier is an alias or a version, never `$LATEST`. */
export function isQualifiedAliasArn(arn: string): boolean {
  const parts = arn.split(":");
  // arn:aws:lambda:region:account:function:name:qualifier
  if (parts.length !== 8 || parts[0] !== "arn" || parts[2] !== "lambda" || parts[5] !== "function") return false;
  const qualifier = parts[7];
  return qualifier.length > 0 && qualifier !== "$LATEST";
}

/**
 * `WARM_TARGET_ARN` checked once, at init: a malformed value fails the function's start (and so
 * the release's pre-traffic check) instead of being logged on every warm-up.
 */
export function warmTargetFromEnv(value: string | undefined): string | undefined {
  const arn = value?.trim();
  if (!arn) return undefined;
  if (!isQualifiedAliasArn(arn)) {
    throw new Error(`WARM_TARGET_ARN must be a Lambda ARN qualified with an alias, not $LATEST or unqualified: ${arn}`);
  }
  return arn;
}

export async function runWarmup(event: WarmupEvent, deps: WarmupDeps): Promise<WarmupResult> {
  const fanOut = boundedInteger(event.fanOut, 0, MAX_FAN_OUT) ?? 0;
  const prefillMaxZoom = boundedInteger(event.prefillMaxZoom, 0, MAX_WARMUP_PREFILL_ZOOM);

  const [fannedOut, prefill] = await Promise.all([
    fanOut > 0 ? fanOutWarmup(fanOut, deps) : holdBriefly(deps.holdMs ?? 100).then(() => 0),
    prefillMaxZoom === undefined
      ? Promise.resolve({ rendered: 0, present: 0 })
      : prefillTiles({
          store: deps.store,
          renderVersion: deps.renderVersion,
          render: deps.render,
          palette: deps.defaultPalette,
          maxZoom: prefillMaxZoom,
        }),
  ]);
  const result: WarmupResult = {
    warmed: true,
    functionVersion: deps.functionVersion,
    renderVersion: deps.renderVersion,
    fannedOut,
    prefill,
  };
  deps.logger.info("warm-up done", { ...result });
  return result;
}

/** Invokes the alias `count` times concurrently; resolves to how many copies answered. */
export async function fanOutWarmup(count: number, deps: WarmupDeps): Promise<number> {
  const { lambda, targetArn, logger } = deps;
  if (!lambda || !targetArn) {
    logger.info("warm-up fan-out skipped: WARM_TARGET_ARN is not set");
    return 0;
  }
  // Adapters pass WARM_TARGET_ARN through warmTargetFromEnv; this guards any other caller.
  if (!isQualifiedAliasArn(targetArn)) throw new Error(`fan-out target must be a qualified alias ARN: ${targetArn}`);
  const payload = new TextEncoder().encode(JSON.stringify({ fractile: "warmup", fanOut: 0 }));
  const outcomes = await Promise.allSettled(
    Array.from({ length: count }, () =>
      lambda.invoke({ FunctionName: targetArn, InvocationType: "RequestResponse", Payload: payload }),
    ),
  );
  const answered = outcomes.filter((o) => o.status === "fulfilled" && !o.value.FunctionError).length;
  if (answered < count) {
    const failure = outcomes.find((o) => o.status === "rejected") as PromiseRejectedResult | undefined;
    const firstError = describeError(failure?.reason);
    logger.warn("some warm-up copies failed", { requested: count, answered, firstError });
  }
  return answered;
}

function boundedInteger(value: unknown, min: number, max: number): number | undefined {
  if (typeof value !== "number" || !Number.isInteger(value)) return undefined;
  return Math.min(max, Math.max(min, value));
}

function holdBriefly(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
