/**
 * Local mode: the Lambda handlers behind one node:http server, plus the
 * viewer from `web/dist`. `npm start` runs this; tests import `startServer`.
 */
import { existsSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import type { TileStore } from "../packages/cache/index";
import { warmUp } from "../packages/render/index";
import { internalErrorResponse, pathSegments } from "../functions/lib/http";
import { drillFromEnv, withDrill } from "../functions/lib/drill";
import { createImageHandler } from "../functions/lib/image-handler";
import { toApiGatewayEvent, writeResult } from "../functions/lib/local-event";
import { createTelemetry, describeError, storeFaultReporter } from "../functions/lib/observability";
import { FALLBACK_FUNCTION, functionOfPath, type ApiFunction } from "../functions/lib/routes";
import { resolveStaticFile, sendStaticFile } from "../functions/lib/static-files";
import { storeFromEnv } from "../functions/lib/store-from-env";
import { createTilesHandler } from "../functions/lib/tiles-handler";
import { createExportJobs } from "../functions/lib/export-jobs";
import { encodeWebpPicture } from "../functions/lib/export-webp";
import { exportObjectsFromEnv } from "../functions/lib/export-env";
import { FsExportObjects, type ExportObjects } from "../functions/lib/export-objects";
import { createExportsHandler, MAX_EXPORT_BODY_BYTES } from "../functions/lib/exports-handler";
import { isJobId } from "../packages/export/index";
import { RENDER_VERSION, renderViewIndices } from "../packages/render/index";
import { createPosterTiles } from "../functions/lib/export-tiles";
import { createReferenceCachingRenderer } from "../functions/lib/tile-renderer";
import { createSlowTileWorker, createSlowTiles, requestPathLimit } from "../functions/lib/slow-tiles";
import { OWNER_HEADER, ownersFromEnv } from "./local/owner-forwarding";
import { createLocalExportQueue, type LocalExportQueue } from "./local/export-queue";
import { createRenderPool, defaultRenderThreads, type RenderPool } from "./local/render-pool";

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export interface ServerOptions {
  port?: number;
  host?: string;
  /** Directory of the built viewer; default `web/dist`. Served only when it exists. */
  webRoot?: string;
  /** Default: from the environment (`TILE_BUCKET`/`S3_ENDPOINT`, else `TILE_CACHE_DIR`). */
  store?: TileStore;
  /** Powertools log level, e.g. "SILENT" in tests; default from `POWERTOOLS_LOG_LEVEL` or INFO. */
  logLevel?: string;
  /** Worker threads that render; 0 renders on the main thread as Lambda does. Default: one per core. */
  renderThreads?: number;
  /** A pool to render in instead of starting one (the caller closes it); overrides `renderThreads`. */
  renderPool?: RenderPool;
  /** Where export jobs live; default from the environment (`TILE_BUCKET`, else `EXPORT_DIR`). */
  exportObjects?: ExportObjects;
}

export interface RunningServer {
  url: string;
  /** The in-process export queue (tests wait on `idle()`). */
  exportQueue: LocalExportQueue;
  close(): Promise<void>;
}

export async function startServer(opts: ServerOptions = {}): Promise<RunningServer> {
  // EMF lines would drown the request log; set POWERTOOLS_METRICS_DISABLED=false to see them.
  process.env.POWERTOOLS_METRICS_DISABLED ??= "true";
  const telemetry = createTelemetry({ defaultServiceName: "fractile-local", logLevel: opts.logLevel });
  const store = opts.store ?? storeFromEnv(storeFaultReporter(telemetry));
  const threads = opts.renderThreads ?? defaultRenderThreads();
  const ownPool = opts.renderPool || threads === 0 ? undefined : createRenderPool({ threads });
  const pool = opts.renderPool ?? ownPool;
  // Exports: the Lambda job code, an in-process queue instead of SQS, the same render pool.
  // Posters on disk are downloaded from this server (EXPORT_FILE); on S3 the links are presigned.
  const exportObjects = opts.exportObjects ?? exportObjectsFromEnv(process.env, (key) => `/${key}`);
  const exportQueue = createLocalExportQueue({
    concurrency: Math.max(1, threads) * 2,
    onError: (message, receives, error) =>
      telemetry.logger.error("export queue message failed", { ...message, receives, error: describeError(error) }),
  });
  // Like the tile function on Lambda, the drill variables make it misbehave on purpose, and tiles of
  // other render versions go to their owner when there is one (npm run rehearse uses both).
  const tiles = withDrill(
    createTilesHandler({
      store,
      telemetry,
      renderWithReference: pool?.renderTileWithReference,
      owners: ownersFromEnv(),
      // Tiles too slow for a request go to the in-process queue, as on Lambda to SQS; each tile
      // renders on one thread here (one pool worker, or the main thread).
      slowTiles: createSlowTiles({
        store,
        enqueue: (message) => exportQueue.enqueue([message]),
        maxLoopSteps: requestPathLimit(1),
        onQueueError: (error) => telemetry.logger.error("slow tile not queued", { error: describeError(error) }),
      }),
    }),
    drillFromEnv(process.env),
    { telemetry },
  );
  // The tile handler's renderer without limits: aligned posters' tiles and slow tiles, stored as it would.
  const tileRenderer = createReferenceCachingRenderer({
    store,
    renderVersion: RENDER_VERSION,
    renderWithReference: pool?.renderTileWithReference,
  });
  const exportJobs = createExportJobs({
    objects: exportObjects,
    enqueue: exportQueue.enqueue,
    renderIndices: pool ? pool.renderViewIndices : renderViewIndices,
    encodeWebp: encodeWebpPicture,
    // Aligned posters read and warm the same tile cache the tile handler serves from.
    partFromTiles: createPosterTiles({ store, renderTile: tileRenderer }),
  });
  exportQueue.consumeWith(
    exportJobs,
    createSlowTileWorker({ store, renderTile: tileRenderer, renderVersion: RENDER_VERSION }),
  );
  const handlers: Record<ApiFunction, (event: APIGatewayProxyEventV2) => Promise<unknown>> = {
    tiles,
    image: createImageHandler({ telemetry, renderView: pool?.renderView }),
    exports: createExportsHandler({ jobs: exportJobs, telemetry }),
  };
  const webRoot = opts.webRoot ?? path.join(REPO_ROOT, "web", "dist");
  // Fail at start, not on the first tile, when the render core cannot load (e.g. the wasm is not built).
  if (!pool) warmUp();
  if (ownPool) {
    try {
      await ownPool.ready();
    } catch (error) {
      await ownPool.close();
      throw error;
    }
  }

  async function route(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const body =
      req.method === "POST" || req.method === "PUT" ? await readBody(req, MAX_EXPORT_BODY_BYTES + 1) : undefined;
    const event = toApiGatewayEvent(req, body);
    const method = event.requestContext.http.method;
    const posterFile = EXPORT_FILE.exec(event.rawPath);
    if (
      posterFile &&
      (method === "GET" || method === "HEAD") &&
      exportObjects instanceof FsExportObjects &&
      isJobId(posterFile[1])
    ) {
      const file = await resolveStaticFile(exportObjects.root, event.rawPath);
      if (file) return sendStaticFile(res, file, method);
    }
    const owner = apiFunctionOf(event.rawPath);
    if (!owner && (method === "GET" || method === "HEAD") && existsSync(webRoot)) {
      const file = await resolveStaticFile(webRoot, event.rawPath);
      if (file) return sendStaticFile(res, file, method);
    }
    // What no route claims gets the fallback function's JSON answers (404/405), as behind API Gateway.
    const handler = handlers[owner ?? FALLBACK_FUNCTION];
    // A tile another version forwarded to its render version's owner: the event Lambda gets through
    // alias rv-{renderVersion}, answered like the request it wraps but never forwarded again.
    const forwarded = owner === "tiles" && req.headers[OWNER_HEADER] !== undefined;
    const result = forwarded ? await tiles({ fractile: "owner-request", request: event }) : await handler(event);
    writeResult(res, result as Parameters<typeof writeResult>[1], method);
  }

  // Requests still being handled; close() lets them finish so none fails on a closed render pool.
  const inFlight = new Set<Promise<void>>();
  const server = http.createServer((req, res) => {
    const handled = route(req, res).catch((error: unknown) => {
      telemetry.logger.error("local server failed a request", {
        url: req.url?.slice(0, 256),
        error: describeError(error),
      });
      if (!res.headersSent) writeResult(res, internalErrorResponse(), req.method ?? "GET");
      else res.destroy();
    });
    inFlight.add(handled);
    void handled.finally(() => inFlight.delete(handled));
  });
  // Malformed HTTP never reaches a handler: answer it in the API's error format.
  server.on("clientError", (_error, socket) => {
    if (!socket.writable) return socket.destroy();
    const body = JSON.stringify({ error: "bad_request", detail: "the request is not valid HTTP/1.1" });
    socket.end(
      `HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
    );
  });

  const host = opts.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 3000, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = host === "0.0.0.0" || host === "::" ? "localhost" : host.includes(":") ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}`,
    exportQueue,
    close: async () => {
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
      await Promise.all(inFlight);
      await exportQueue.idle();
      await ownPool?.close();
    },
  };
}

/** A finished poster in the local export directory (FsExportObjects' download links). */
const EXPORT_FILE = /^\/exports\/([0-9a-f-]{36})\/poster\.(png|jpg|webp|zip)$/;

/** The request body, at most `limit` bytes (more is cut off; the handler answers 413 for it). */
async function readBody(req: http.IncomingMessage, limit: number): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    if (size < limit) chunks.push(chunk.subarray(0, limit - size));
    size += chunk.length;
  }
  return Buffer.concat(chunks);
}

/** The function API Gateway would invoke for this path; undefined for the viewer's files. */
function apiFunctionOf(rawPath: string): ApiFunction | undefined {
  let segments: string[];
  try {
    segments = pathSegments(rawPath);
  } catch {
    return FALLBACK_FUNCTION; // malformed paths get the API's 400
  }
  return functionOfPath(segments);
}

function parseWholeNumber(name: string, raw: string | undefined, fallback: number, max: number): number {
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > max) {
    console.error(`${name} must be a whole number from 0 to ${max}, got ${JSON.stringify(raw)}`);
    process.exit(2);
  }
  return value;
}

/** More workers than cores only queue; the bound keeps a typo from starting thousands of threads. */
const MAX_RENDER_THREADS = 256;

async function main(): Promise<void> {
  const { RENDER_THREADS } = process.env;
  const renderThreads = parseWholeNumber("RENDER_THREADS", RENDER_THREADS, defaultRenderThreads(), MAX_RENDER_THREADS);
  const port = parseWholeNumber("PORT", process.env.PORT, 3000, 65535);
  const server = await startServer({ port, host: process.env.HOST || "localhost", renderThreads });
  const storeNote = process.env.TILE_BUCKET
    ? `S3 bucket ${process.env.TILE_BUCKET}`
    : `disk ${path.resolve(process.env.TILE_CACHE_DIR || ".cache/tiles")}`;
  const renderNote = renderThreads === 0 ? "on the main thread" : `in ${renderThreads} worker threads`;
  console.log(
    `fractile listening on ${server.url}  (tile cache: ${storeNote}; rendering ${renderNote}; Ctrl-C to stop)`,
  );
  const stop = (signal: string) => {
    console.log(`${signal}: stopping`);
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGINT", () => stop("SIGINT"));
  process.once("SIGTERM", () => stop("SIGTERM"));
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
