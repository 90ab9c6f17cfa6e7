import * as codedeploy from "aws-cdk-lib/aws-codedeploy";
import { Api, type StackContext } from "sst/constructs";
import { FALLBACK_FUNCTION, gatewayRoutes } from "../functions/lib/routes";
import { FUNCTION_TIMEOUT_SECONDS } from "../functions/lib/function-sizing";
import { PENDING_PREFIX } from "../functions/lib/pending-prefix";
import * as iam from "aws-cdk-lib/aws-iam";
import { FUNCTION_CODE, IMAGE_ARCHITECTURE } from "./function-code";
import { stageNames } from "./naming";
import { stageConfig } from "./stage-config";
import { createSiteBucket, createTileBucket } from "./parts/buckets";
import { createCdn, deployViewer } from "./parts/cdn";
import { createDashboard } from "./parts/dashboard";
import { createExports } from "./parts/exports";
import { applyDrill, drillForStage } from "./parts/drill";
import { allowInvokeOwnAliases, createLiveFunction } from "./parts/live-function";
import { createReleaseHooks } from "./parts/release-hooks";
import { createReleaseGroup } from "./parts/release";
import { createVersionAlarms } from "./parts/version-alarms";
import { createWarmUpRule } from "./parts/warm-up";
import { suppressAcceptedNagFindings } from "./parts/nag-suppressions";

/** Where tiles live in the bucket: the public URL path, see packages/cache. */
const TILE_KEYS = "tiles/*";
/** Deep tiles' reference orbits (packages/render referenceKey). */
const REFERENCE_KEYS = "refs/*";
/** What the tile cache is: tiles and their reference orbits (the export worker reads and warms it too). */
const TILE_CACHE_KEYS = [TILE_KEYS, REFERENCE_KEYS] as const;

export function Fractile({ stack, app }: StackContext) {
  const names = stageNames(app.stage);
  const config = stageConfig(app.stage);
  // Read first, so a refused drill fails the synth before anything is built.
  const drill = drillForStage(app.stage, config, process.env);

  const tileBucket = createTileBucket(stack, config);
  const siteBucket = createSiteBucket(stack);

  const tiles = createLiveFunction(stack, "Tiles", {
    role: "tiles",
    names,
    ...FUNCTION_CODE.tiles,
    architecture: "arm_64",
    timeoutSeconds: FUNCTION_TIMEOUT_SECONDS.tiles,
    memoryMb: config.tileMemoryMb,
    reservedConcurrency: config.reservedConcurrency.tiles,
  });
  tiles.fn.addEnvironment("TILE_BUCKET", tileBucket.bucketName);
  tiles.fn.addEnvironment("WARM_TARGET_ARN", tiles.aliasArn);
  // Read and write tiles and deep tiles' reference orbits, nothing else: no
  // delete (expiry is the lifecycle rule's job) and nothing outside these prefixes.
  for (const keys of [...TILE_CACHE_KEYS, `${PENDING_PREFIX}*`]) {
    tileBucket.grantRead(tiles.fn, keys);
    tileBucket.grantPut(tiles.fn, keys);
  }
  allowInvokeOwnAliases(tiles, names, "tiles");
  applyDrill(tiles, drill);

  const image = createLiveFunction(stack, "Image", {
    role: "image",
    names,
    ...FUNCTION_CODE.image,
    architecture: IMAGE_ARCHITECTURE,
    timeoutSeconds: FUNCTION_TIMEOUT_SECONDS.image,
    reservedConcurrency: config.reservedConcurrency.image,
  });

  const releases = new codedeploy.LambdaApplication(stack, "Releases", {
    applicationName: names.deploymentApplication,
  });
  const tilesAlarms = createVersionAlarms(stack, "TilesAlarm", tiles, "tiles", names, { p99DurationMs: 5_000 });
  const imageAlarms = createVersionAlarms(stack, "ImageAlarm", image, "image", names, { p99DurationMs: 14_000 });
  const tilesHooks = createReleaseHooks(stack, "TilesHook", tiles, "tiles", FUNCTION_CODE.releaseHook);
  const imageHooks = createReleaseHooks(stack, "ImageHook", image, "image", FUNCTION_CODE.releaseHook);
  const tilesRelease = createReleaseGroup(stack, "TilesRelease", {
    application: releases,
    target: tiles,
    role: "tiles",
    names,
    config,
    alarms: tilesAlarms,
    hooks: tilesHooks,
  });
  const imageRelease = createReleaseGroup(stack, "ImageRelease", {
    application: releases,
    target: image,
    role: "image",
    names,
    config,
    alarms: imageAlarms,
    hooks: imageHooks,
  });

  createWarmUpRule(stack, "TilesWarmUp", tiles, config.warmFanOut);

  const exports = createExports(stack, { names, bucket: tileBucket, tileCacheKeys: TILE_CACHE_KEYS });
  // Deep tiles too slow for a request go to the export worker (functions/lib/slow-tiles.ts): the tile
  // function may send to that queue, and nothing else (no receive, no delete, no other queue).
  tiles.fn.addEnvironment("EXPORT_QUEUE_URL", exports.queue.queueUrl);
  tiles.fn.addToRolePolicy(
    new iam.PolicyStatement({ actions: ["sqs:SendMessage"], resources: [exports.queue.queueArn] }),
  );

  const integrations = {
    tiles: { cdk: { function: tiles.alias } },
    image: { cdk: { function: image.alias } },
    exports: { cdk: { function: exports.api.alias } },
  };
  const api = new Api(stack, "Api", {
    defaults: { throttle: { rate: config.apiThrottle.rateLimit, burst: config.apiThrottle.burstLimit } },
    routes: {
      ...Object.fromEntries(gatewayRoutes().map(({ routeKey, fn }) => [routeKey, integrations[fn]])),
      // Unknown paths and other methods reach a handler too, so clients get
      // its JSON 404/405 instead of API Gateway's.
      $default: integrations[FALLBACK_FUNCTION],
    },
  });

  const distribution = createCdn(stack, { tileBucket, siteBucket, apiUrl: api.url });
  deployViewer(stack, { siteBucket, distribution });

  createDashboard(stack, names, { tiles, image }, [...tilesAlarms, ...imageAlarms]);
  suppressAcceptedNagFindings({
    stack,
    functions: [
      { fn: tiles.fn, name: "tile function" },
      { fn: image.fn, name: "image function" },
      { fn: exports.api.fn, name: "exports API function" },
      { fn: exports.worker.fn, name: "export worker function" },
      { fn: tilesHooks.before, name: "tile before-traffic hook" },
      { fn: tilesHooks.after, name: "tile after-traffic hook" },
      { fn: imageHooks.before, name: "image before-traffic hook" },
      { fn: imageHooks.after, name: "image after-traffic hook" },
    ],
    hooks: [tilesHooks.before, tilesHooks.after, imageHooks.before, imageHooks.after],
    exportFunctions: [exports.api.fn, exports.worker.fn],
    tileFunction: tiles.fn,
    releaseGroups: [tilesRelease, imageRelease],
    buckets: [tileBucket, siteBucket],
    distribution,
    apiRoutes: api.node.findAll().filter((c) => c.node.id.startsWith("Route_")),
  });

  stack.addOutputs({
    Url: `https://${distribution.distributionDomainName}`,
    ApiUrl: api.url,
    TileBucket: tileBucket.bucketName,
  });
}
