/**
 * Lambda entry point of the tile function (tiles, /health, /meta, warm-up).
 * Dependencies are created once per instance, at init, where Lambda gives the
 * most CPU; the logic lives in `lib/tiles-handler.ts`.
 */
import { availableParallelism } from "node:os";
import { warmUp } from "../packages/render/index";
import { threadedTileRenderer } from "./lib/deep-threads";
import { drillFromEnv, withDrill } from "./lib/drill";
import { lazyLambdaInvoker } from "./lib/lambda-invoker";
import { createTelemetry, storeFaultReporter } from "./lib/observability";
import { lambdaRenderVersionOwners } from "./lib/render-version-owners";
import { storeFromEnv } from "./lib/store-from-env";
import { createTilesHandler } from "./lib/tiles-handler";
import { FUNCTION_TIMEOUT_SECONDS, deepThreadsFor } from "./lib/function-sizing";
import { warmTargetFromEnv } from "./lib/warmup";

const telemetry = createTelemetry({ defaultServiceName: "fractile-tiles" });
const targetArn = warmTargetFromEnv(process.env.WARM_TARGET_ARN);
/** Set by Lambda; absent in local mode, where no other function version exists to forward to. */
const functionName = process.env.AWS_LAMBDA_FUNCTION_NAME?.trim() || undefined;
// One attempt, and an answer before this function's own timeout: a
// forwarded tile that cannot be fetched in time is our 5xx, not a hang.
const lambda = lazyLambdaInvoker({
  maxAttempts: 1,
  requestHandler: {
    connectionTimeout: 1000,
    requestTimeout: (FUNCTION_TIMEOUT_SECONDS.tiles - 1) * 1000,
    throwOnRequestTimeout: true,
  },
});

warmUp();

// Deep tiles' loops use every vCPU the function's memory buys (ONE_VCPU_MB each); one vCPU: in-process.
const deepThreads = deepThreadsFor(Number(process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE), availableParallelism());

const tiles = createTilesHandler({
  store: storeFromEnv(storeFaultReporter(telemetry)),
  telemetry,
  warmup: targetArn ? { targetArn, lambda } : undefined,
  owners: functionName ? lambdaRenderVersionOwners(lambda, functionName) : undefined,
  renderWithReference: deepThreads > 1 ? threadedTileRenderer(deepThreads) : undefined,
});

// Normally undefined (no drill): then this is the tile handler itself.
export const handler = withDrill(tiles, drillFromEnv(process.env), { telemetry });
