/**
 * Deep tiles too costly for the request path are rendered by the export worker instead
 * (packages/deep/README.md, "Slow tiles: rendered off the request path"; docs/api.md).
 *
 * The tile handler renders a deep miss with a limit on its loop's estimated steps
 * (function-sizing.ts maxRequestPathLoopSteps). A tile over it is refused before its loop runs; the
 * handler then puts a tile message on the exports queue, leaves a marker in the tile store
 * (`pending/…`, with when it was sent and when the tile should be ready) so that requests in the
 * meantime answer at once without rendering or sending again, and answers 503 `tile_rendering`
 * with Retry-After. The worker renders the tile with the tile handler's renderer and stores it with
 * renderIntoStore, exactly as the handler would have; the next request finds it in the cache. A
 * marker older than the worker's timeout is ignored (that render failed or is lost): the next
 * request sends the tile again.
 */
import { tileKey, type TileStore } from "../../packages/cache/index";
import { encodeTileIndex, parseTileSpec, sha256Hex, type TileSpec } from "../../packages/render/index";
import { EXPORT_QUEUE } from "./export-queue";
import { busyCpus, deepThreadsFor, loopSeconds, maxRequestPathLoopSteps } from "./function-sizing";
import { HttpError } from "./http";
import { PENDING_PREFIX } from "./pending-prefix";
import type { RenderTile } from "./renderers";
import { renderIntoStore } from "./tile-fill";

/** A queue message asking the export worker for one tile (next to export jobs' part messages). */
export interface TileRenderMessage {
  kind: "tile";
  renderVersion: string;
  palette: string;
  z: number;
  /** Base 36, as in the tile's URL and key. */
  x: string;
  y: string;
  scale: 1 | 2;
}

export const SLOW_TILES = {
  /** Time from sending to the worker's loop starting: SQS delivery, a cold start, the reference orbit. */
  startSeconds: 10,
  /** The least Retry-After: a viewer polling faster only adds requests. */
  minRetryAfterSeconds: 5,
  /** A marker this old names a render that failed or was lost (the worker's timeout): send again. */
  markerMaxAgeSeconds: EXPORT_QUEUE.workerTimeoutSeconds,
} as const;

export function tileRenderMessage(spec: TileSpec, renderVersion: string): TileRenderMessage {
  return {
    kind: "tile",
    renderVersion,
    palette: spec.palette,
    z: spec.z,
    x: encodeTileIndex(spec.x),
    y: encodeTileIndex(spec.y),
    scale: spec.scale,
  };
}

export function isTileRenderMessage(value: unknown): value is TileRenderMessage {
  return typeof value === "object" && value !== null && (value as { kind?: unknown }).kind === "tile";
}

/** The message's tile, validated as a URL's would be (throws ValidationError). */
export function specOfMessage(message: TileRenderMessage): TileSpec {
  return parseTileSpec({
    z: String(message.z),
    x: message.x,
    y: message.y,
    scale: String(message.scale),
    palette: message.palette,
  });
}

/**
 * The marker's key: a hash, because deep tiles' keys already use most of S3's 1024 bytes. Under
 * `pending/`, which the CDN does not serve and the bucket expires.
 */
export function pendingKey(key: string): string {
  return `${PENDING_PREFIX}${sha256Hex(new TextEncoder().encode(key))}.json`;
}

interface Marker {
  tile: string;
  /** Epoch ms the tile was sent to the worker. */
  sentAt: number;
  /** Epoch ms it should be in the cache by. */
  readyBy: number;
}

export interface SlowTilesOptions {
  store: TileStore;
  /** Sends one message (SQS on Lambda, the in-process queue locally); throws when the queue refuses. */
  enqueue: (message: TileRenderMessage) => Promise<void>;
  /** The most loop steps a tile may be estimated at and render on the request path. */
  maxLoopSteps: (spec: TileSpec) => number;
  /** Epoch ms. */
  now?: () => number;
  /** Told why the queue refused a tile (the answer is a 503 either way). */
  onQueueError?: (error: unknown) => void;
}

export interface SlowTiles {
  maxLoopSteps(spec: TileSpec): number;
  /** Retry-After seconds when the tile is being rendered by the worker (a fresh marker), else undefined. */
  pending(key: string): Promise<number | undefined>;
  /** Sends the tile to the worker and marks it; the Retry-After seconds. HttpError 503 when the queue refuses. */
  offload(key: string, spec: TileSpec, renderVersion: string, estimatedSteps: number): Promise<number>;
}

/** The tile function's limit with `cpus` busy vCPUs per tile and its timeout (function-sizing.ts). */
export function requestPathLimit(cpus: number): (spec: TileSpec) => number {
  return (spec) => maxRequestPathLoopSteps(spec.z, cpus);
}

/** Seconds until a tile of `estimatedSteps` should be in the cache, rendered by the export worker. */
export function workerSeconds(spec: TileSpec, estimatedSteps: number): number {
  const cpus = busyCpus(EXPORT_QUEUE.workerMemoryMb, deepThreadsFor(EXPORT_QUEUE.workerMemoryMb, Infinity));
  return SLOW_TILES.startSeconds + loopSeconds(estimatedSteps, spec.z, cpus);
}

export function createSlowTiles(options: SlowTilesOptions): SlowTiles {
  const { store } = options;
  const now = options.now ?? Date.now;
  const retryAfter = (readyBy: number) =>
    Math.max(SLOW_TILES.minRetryAfterSeconds, Math.ceil((readyBy - now()) / 1000));

  return {
    maxLoopSteps: options.maxLoopSteps,

    async pending(key) {
      const bytes = await store.get(pendingKey(key));
      if (!bytes) return undefined;
      let marker: Marker;
      try {
        marker = JSON.parse(new TextDecoder().decode(bytes)) as Marker;
      } catch {
        return undefined; // unreadable: as if absent, and replaced by the next offload
      }
      const age = now() - marker.sentAt;
      if (marker.tile !== key || !(age >= 0 && age < SLOW_TILES.markerMaxAgeSeconds * 1000)) return undefined;
      return retryAfter(marker.readyBy);
    },

    async offload(key, spec, renderVersion, estimatedSteps) {
      try {
        await options.enqueue(tileRenderMessage(spec, renderVersion));
      } catch (error) {
        options.onQueueError?.(error);
        const seconds = EXPORT_QUEUE.submitRetryAfterSeconds;
        throw new HttpError(
          503,
          "queue_unavailable",
          `this tile is too costly to render within a request and the render queue is not taking it right now; retry in ${seconds} s`,
          { "retry-after": String(seconds) },
        );
      }
      const sentAt = now();
      const marker: Marker = { tile: key, sentAt, readyBy: sentAt + workerSeconds(spec, estimatedSteps) * 1000 };
      // Unconditional: an expired marker must give way to this one.
      await store.replace(pendingKey(key), new TextEncoder().encode(JSON.stringify(marker)));
      return retryAfter(marker.readyBy);
    },
  };
}

export type SlowTileOutcome = "rendered" | "cached" | "other-render-version";

/**
 * The worker's side: renders the message's tile into the store unless it is there already (a
 * message sent twice, or a viewer's request that rendered it since). A message of another render
 * version is dropped: only the version that owns it may make its bytes.
 */
export function createSlowTileWorker(options: {
  store: TileStore;
  /** The tile handler's renderer (createReferenceCachingRenderer), without limits. */
  renderTile: RenderTile;
  renderVersion: string;
}) {
  const { store, renderTile, renderVersion } = options;
  return async function renderSlowTile(message: TileRenderMessage): Promise<SlowTileOutcome> {
    if (message.renderVersion !== renderVersion) return "other-render-version";
    const spec = specOfMessage(message);
    const key = tileKey(spec, renderVersion);
    if (await store.has(key)) return "cached";
    await renderIntoStore(store, key, spec, renderTile);
    return "rendered";
  };
}
