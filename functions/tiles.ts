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
import { FUNCTION_TIMEOUT_SECONDS, busyCpus, deepThreadsFor } from "./lib/function-sizing";
import { describeError } from "./lib/observability";
import { createSlowTiles, requestPathLimit } from "./lib/slow-tiles";
import { slowTileQueueFromEnv } from "./lib/slow-tile-queue";
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
const memoryMb = Number(process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE);
const deepThreads = deepThreadsFor(memoryMb, availableParallelism());

const store = storeFromEnv(storeFaultReporter(telemetry));
// Deep tiles too slow for this function's timeout go to the export worker, when there is a queue.
const slowTileQueue = slowTileQueueFromEnv(process.env);
const slowTiles = slowTileQueue
  ? createSlowTiles({
      store,
      enqueue: slowTileQueue,
      maxLoopSteps: requestPathLimit(busyCpus(memoryMb, deepThreads)),
      onQueueError: (error) => telemetry.logger.error("slow tile not queued", { error: describeError(error) }),
    })
  : undefined;

const tiles = createTilesHandler({
  store,
  telemetry,
  warmup: targetArn ? { targetArn, lambda } : undefined,
  owners: functionName ? lambdaRenderVersionOwners(lambda, functionName) : undefined,
  renderWithReference: deepThreads > 1 ? threadedTileRenderer(deepThreads) : undefined,
  slowTiles,
});

// Normally undefined (no drill): then this is the tile handler itself.
export const handler = withDrill(tiles, drillFromEnv(process.env), { telemetry });
