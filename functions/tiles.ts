/**
 * Lambda entry point of the tile function (tiles, /health, /meta, warm-up).
 * Dependencies are created once per instance, at init, where Lambda gives the
 * most CPU; the logic lives in `lib/tiles-handler.ts`.
 */
import { LambdaClient } from "@aws-sdk/client-lambda";
import { warmUp } from "../packages/render/index";
import { drillFromEnv, withDrill } from "./lib/drill";
import { createTelemetry, storeFaultReporter } from "./lib/observability";
import { storeFromEnv } from "./lib/store-from-env";
import { createTilesHandler } from "./lib/tiles-handler";

const telemetry = createTelemetry({ defaultServiceName: "fractile-tiles" });
const targetArn = process.env.WARM_TARGET_ARN?.trim() || undefined;

warmUp();

const tiles = createTilesHandler({
  store: storeFromEnv(storeFaultReporter(telemetry)),
  telemetry,
  warmup: targetArn
    ? { targetArn, lambda: new LambdaClient({ maxAttempts: 1, requestHandler: { connectionTimeout: 1000, requestTimeout: 10_000, throwOnRequestTimeout: true } }) }
    : undefined,
});

// Normally undefined (no drill): then this is the tile handler itself.
export const handler = withDrill(tiles, drillFromEnv(process.env), { telemetry });
