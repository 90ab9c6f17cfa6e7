/**
 * The tile function: tiles, /health, /meta, and the scheduled warm-up event.
 * Thin by design: parse → key → cache → render → respond.
 */
import type { APIGatewayProxyEventV2, Context } from "aws-lambda";
import { tileKey, type ObjectMetadata, type TileStore } from "../../packages/cache/index";
import {
  COORDINATE_ENCODING,
  DEFAULT_PALETTE,
  IMAGE_LIMITS,
  LoopTooCostlyError,
  MAX_ZOOM,
  PALETTES,
  RENDER_VERSION,
  TILE_SCALES,
  TILE_SIZE,
  WORLD_LEFT,
  WORLD_SIZE,
  WORLD_TOP,
  isDeepTile,
  parseTileSpec,
  renderTileWithReference,
  type TileSpec,
} from "../../packages/render/index";
import {
  HttpError,
  TILE_CACHE_CONTROL,
  binaryResponse,
  etagOf,
  headerOf,
  ifNoneMatchMatches,
  jsonResponse,
  methodOf,
  notModifiedResponse,
  pathSegments,
  queryOf,
  type HttpResult,
} from "./http";
import { answerError } from "./answer-error";
import { answerPoint } from "./point-request";
// The limits alone: the package's index would pull its poster encoders (jpeg-js) into the tile bundle.
import { EXPORT_LIMITS } from "../../packages/export/limits";
import { tileHeadersFromMetadata, tileObjectMetadata } from "./tile-metadata";
import { renderIntoStore } from "./tile-fill";
import type { SlowTiles } from "./slow-tiles";
import { createReferenceCachingRenderer, type RenderTileWithReference } from "./tile-renderer";
import {
  METRIC,
  MetricUnit,
  functionVersion as currentFunctionVersion,
  finishResponse,
  type Telemetry,
} from "./observability";
import type { RenderTile } from "./renderers";
import { resolveRoute } from "./router";
import { IMAGE_URL_TEMPLATE, TILE_ROUTES, type TileRoute } from "./routes";
import { createSingleFlight } from "./single-flight";
import { isWarmupEvent, runWarmup, type WarmupDeps, type WarmupEvent, type WarmupResult } from "./warmup";
import {
  type OwnerRequestEvent,
  type SelfTestEvent,
  invokedAsPublishedVersion,
  isOwnerRequestEvent,
  isSelfTestEvent,
} from "./internal-events";
import type { RenderVersionOwners } from "./render-version-owners";

/** Render versions are short ids; anything else cannot name a cached tile. */
const RENDER_VERSION_SHAPE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export interface TilesHandlerDeps {
  store: TileStore;
  telemetry: Telemetry;
  /** Defaults to the render core's; tests use another to act as a second function version. */
  renderVersion?: string;
  functionVersion?: string;
  /** Renders whole tiles, reference orbits included and uncached (tests). Default: renderWithReference with orbits cached in the store. */
  render?: RenderTile;
  /** Default: the render core in-process (Lambda); the local server passes its worker pool's. */
  renderWithReference?: RenderTileWithReference;
  /** Milliseconds clock for render timing. */
  clock?: () => number;
  warmup?: Pick<WarmupDeps, "lambda" | "targetArn" | "holdMs">;
  /**
   * Where a miss of another render version goes: the function version that
   * owns it (alias `rv-{renderVersion}`). Unset (local mode, tests) means such
   * a miss is a 404 `unknown_render_version`.
   */
  owners?: RenderVersionOwners;
  /**
   * Deep tiles too costly for the request path go to the export worker (slow-tiles.ts). Unset:
   * every tile is rendered here, however long it takes.
   */
  slowTiles?: SlowTiles;
}

/** What a tile lookup found: the tile, nothing (another render version), or a render under way elsewhere. */
interface TileLookup {
  bytes?: Uint8Array;
  metadata?: ObjectMetadata;
  renderMs?: number;
  /** Rendered by the export worker: Retry-After seconds. */
  renderingElsewhere?: { retryAfterSeconds: number; estimatedSteps?: number };
}

/** How a tile request reached the handler, which decides what it may touch. */
type TileMode =
  /** Live traffic: cache, render own render version, forward other render versions to their owner. */
  | "http"
  /** Forwarded by another version: like "http" but never forwarded again. */
  | "owner"
  /** The pre-traffic hook: render own render version only, no cache read or write. */
  | "self-test";

export type TilesEvent = APIGatewayProxyEventV2 | WarmupEvent | SelfTestEvent | OwnerRequestEvent;

export function createTilesHandler(deps: TilesHandlerDeps) {
  const { store, telemetry } = deps;
  const { logger, metrics } = telemetry;
  const renderVersion = deps.renderVersion ?? RENDER_VERSION;
  const functionVersion = deps.functionVersion ?? currentFunctionVersion();
  const render =
    deps.render ??
    createReferenceCachingRenderer({ store, renderVersion, renderWithReference: deps.renderWithReference });
  // The hook's self-test must not touch the shared store, reference orbits included.
  const renderWithReference = deps.renderWithReference ?? renderTileWithReference;
  const renderUncached: RenderTile = deps.render ?? (async (spec) => (await renderWithReference(spec)).png);
  const clock = deps.clock ?? (() => performance.now());

  // Concurrent requests for one tile share one lookup and at most one render.
  // No bytes: a tile of another render version that is not cached.
  const tileFlights = createSingleFlight<string, TileLookup>();
  const { slowTiles } = deps;

  async function cachedOrRendered(key: string, spec: TileSpec, version: string): Promise<TileLookup> {
    const cached = await store.getWithMetadata(key);
    if (cached) return { bytes: cached.bytes, metadata: cached.metadata };
    if (version !== renderVersion) return {};
    const slow = slowTiles && isDeepTile(spec) ? slowTiles : undefined;
    if (slow) {
      const retryAfterSeconds = await slow.pending(key);
      if (retryAfterSeconds !== undefined) return { renderingElsewhere: { retryAfterSeconds } };
    }
    const started = clock();
    try {
      const limits = slow ? { maxLoopSteps: slow.maxLoopSteps(spec) } : undefined;
      const { bytes, metadata } = await renderIntoStore(store, key, spec, render, limits);
      return { bytes, metadata, renderMs: clock() - started };
    } catch (error) {
      if (!slow || !(error instanceof LoopTooCostlyError)) throw error;
      const { estimatedSteps } = error;
      const retryAfterSeconds = await slow.offload(key, spec, renderVersion, estimatedSteps);
      metrics.addMetric(METRIC.SlowTiles, MetricUnit.Count, 1);
      return { renderingElsewhere: { retryAfterSeconds, estimatedSteps } };
    }
  }

  async function handleTile(
    route: Extract<TileRoute, { kind: "tile" }>,
    event: APIGatewayProxyEventV2,
    method: string,
    mode: TileMode,
    requestId?: string,
    lambdaRequestId?: string,
  ): Promise<HttpResult> {
    const spec = parseTileSpec({
      z: route.z,
      x: route.x,
      y: route.y,
      scale: route.at2x ? "2" : undefined,
      palette: route.palette,
    });
    if (!RENDER_VERSION_SHAPE.test(route.version)) throw unknownRenderVersion(route.version, renderVersion);
    const key = tileKey(spec, route.version);
    if (mode === "self-test") {
      // The hook judges this version's render path, so the answer must come
      // from it and nothing may reach the shared cache before the verdict.
      if (route.version !== renderVersion) throw unknownRenderVersion(route.version, renderVersion);
      const bytes = await renderUncached(spec);
      logger.info("self-test tile", { requestId: lambdaRequestId, tile: key, bytes: bytes.byteLength });
      const headers = {
        "cache-control": "no-store",
        etag: etagOf(bytes),
        "content-type": "image/png",
        ...tileHeadersFromMetadata(tileObjectMetadata(spec)),
      };
      return binaryResponse(bytes, headers, method);
    }
    metrics.addMetric(METRIC.TileRequests, MetricUnit.Count, 1);

    const { value, shared } = await tileFlights.run(key, () => cachedOrRendered(key, spec, route.version));
    const { bytes, metadata = {}, renderMs, renderingElsewhere } = value;
    if (renderingElsewhere) {
      const { retryAfterSeconds, estimatedSteps } = renderingElsewhere;
      logger.info("tile", { requestId, lambdaRequestId, tile: key, cache: "rendering-elsewhere", estimatedSteps });
      return jsonResponse(
        503,
        {
          error: "tile_rendering",
          detail: `this tile takes too long to render within a request; it is being rendered in the background and will be served from ${route.version}'s cache: retry in ${retryAfterSeconds} s`,
          retryAfterSeconds,
        },
        { "retry-after": String(retryAfterSeconds) },
      );
    }
    if (!bytes) {
      // Another render version's tile, not cached: never render it here, or
      // the URL's version would name bytes this code made. Its owner renders it.
      const answer = mode === "http" && deps.owners ? await deps.owners.forward(route.version, event) : undefined;
      if (!answer) throw unknownRenderVersion(route.version, renderVersion);
      metrics.addMetric(METRIC.ForwardedTiles, MetricUnit.Count, 1);
      logger.info("tile", { requestId, lambdaRequestId, tile: key, cache: "forwarded", status: answer.statusCode });
      return answer;
    }
    // A request that joined another's lookup or render is counted by that one.
    if (!shared && renderMs === undefined) metrics.addMetric(METRIC.CacheHits, MetricUnit.Count, 1);
    if (!shared && renderMs !== undefined) metrics.addMetric(METRIC.RenderMs, MetricUnit.Milliseconds, renderMs);
    const cache = shared ? "shared" : renderMs === undefined ? "hit" : "miss";
    logger.info("tile", {
      requestId,
      lambdaRequestId,
      tile: key,
      cache,
      renderMs: shared ? undefined : renderMs,
      bytes: bytes.byteLength,
    });

    const etag = etagOf(bytes);
    const headers = { "cache-control": TILE_CACHE_CONTROL, etag, ...tileHeadersFromMetadata(metadata) };
    if (ifNoneMatchMatches(headerOf(event, "if-none-match"), etag)) return notModifiedResponse(headers);
    return binaryResponse(bytes, { ...headers, "content-type": "image/png" }, method);
  }

  function meta(): HttpResult {
    return jsonResponse(
      200,
      {
        renderVersion,
        palettes: PALETTES,
        defaultPalette: DEFAULT_PALETTE,
        tileSize: TILE_SIZE,
        scales: TILE_SCALES,
        minZoom: 0,
        maxZoom: MAX_ZOOM,
        tileUrlTemplate: `/tiles/${renderVersion}/{palette}/{z}/{x}/{y}{r}.png`,
        coordinateEncoding: COORDINATE_ENCODING,
        imageUrlTemplate: IMAGE_URL_TEMPLATE,
        imageLimits: IMAGE_LIMITS,
        exportLimits: EXPORT_LIMITS,
        exportsUrl: "/exports",
        bounds: WORLD_BOUNDS,
        functionVersion,
      },
      // Short: a new release changes the render version the viewer must use.
      { "cache-control": "public, max-age=60" },
    );
  }

  async function handleHttp(
    event: APIGatewayProxyEventV2,
    context?: Context,
    mode: TileMode = "http",
  ): Promise<HttpResult> {
    const requestId = event.requestContext?.requestId ?? context?.awsRequestId;
    const method = methodOf(event);
    let result: HttpResult;
    try {
      const { params } = resolveRoute(TILE_ROUTES, method, pathSegments(event.rawPath ?? "/"));
      if (params.kind === "health") result = jsonResponse(200, { status: "ok", renderVersion, functionVersion });
      else if (params.kind === "meta") result = meta();
      // Deterministic for a given query (like a tile), so caches may keep it.
      else if (params.kind === "point") {
        result = jsonResponse(
          200,
          { ...answerPoint(queryOf(event)), renderVersion },
          { "cache-control": "public, max-age=86400" },
        );
      } else result = await handleTile(params, event, method, mode, requestId, context?.awsRequestId);
    } catch (error) {
      result = answerError(error, { telemetry, requestId, path: event.rawPath });
    }
    return finishResponse(result, method, metrics);
  }

  const warmupDeps: WarmupDeps = {
    store,
    logger,
    renderVersion,
    functionVersion,
    render,
    defaultPalette: DEFAULT_PALETTE,
    ...deps.warmup,
  };

  async function selfTest(event: SelfTestEvent, context?: Context): Promise<HttpResult> {
    if (!invokedAsPublishedVersion(context)) {
      return jsonResponse(403, {
        error: "forbidden",
        detail: "a self-test is honoured only when a published version is invoked directly",
      });
    }
    let result: HttpResult;
    try {
      const { params } = resolveRoute(TILE_ROUTES, "GET", pathSegments(event.path));
      if (params.kind !== "tile") throw new HttpError(400, "bad_path", "a self-test renders tiles only");
      result = await handleTile(
        params,
        { rawPath: event.path } as APIGatewayProxyEventV2,
        "GET",
        "self-test",
        undefined,
        context?.awsRequestId,
      );
    } catch (error) {
      result = answerError(error, { telemetry, requestId: context?.awsRequestId, path: event.path });
    }
    return result;
  }

  return async function tilesHandler(event: TilesEvent, context?: Context): Promise<HttpResult | WarmupResult> {
    if (isWarmupEvent(event)) return runWarmup(event, warmupDeps);
    if (isSelfTestEvent(event)) return selfTest(event, context);
    if (isOwnerRequestEvent(event)) return handleHttp(event.request, context, "owner");
    return handleHttp(event, context);
  };
}

/** The complex-plane square of tile 0/0/0, as the viewer's map bounds. */
const WORLD_BOUNDS = {
  reMin: WORLD_LEFT,
  reMax: WORLD_LEFT + WORLD_SIZE,
  imMin: WORLD_TOP - WORLD_SIZE,
  imMax: WORLD_TOP,
};

function unknownRenderVersion(asked: string, current: string): HttpError {
  return new HttpError(
    404,
    "unknown_render_version",
    `this function renders version ${current}; tiles of version ${JSON.stringify(asked.slice(0, 64))} come from cache or from the ` +
      "function version that owns it, and neither has it: re-read /meta",
  );
}
