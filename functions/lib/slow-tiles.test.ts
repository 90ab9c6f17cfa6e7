import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { SQSEvent } from "aws-lambda";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { tileKey } from "../../packages/cache/index";
import { DEEP_LOCATIONS } from "../../packages/deep/index";
import {
  DEFAULT_PALETTE,
  RENDER_VERSION,
  encodeTileIndex,
  renderTilePng,
  type TileSpec,
} from "../../packages/render/index";
import { apiEvent, bodyBytes, capturedTelemetry, jsonBody } from "../../test/handler-harness";
import { expectRefusedTilesKeepTheirReference } from "../../test/refused-reference";
import { createLocalExportQueue } from "../../scripts/local/export-queue";
import type { ExportJobs } from "./export-jobs";
import { createExportWorker } from "./export-worker";
import { FsTileStore } from "./fs-tile-store";
import type { HttpResult } from "./http";
import { storeFaultReporter } from "./observability";
import {
  SLOW_TILES,
  createSlowTileWorker,
  createSlowTiles,
  pendingKey,
  type SlowTilesOptions,
  type TileRenderMessage,
} from "./slow-tiles";
import { createReferenceCachingRenderer } from "./tile-renderer";
import { createTilesHandler } from "./tiles-handler";

/** Loop-step estimates (measured: scripts/measure-loop-estimate.ts) lie far on either side of LIMIT. */
const LIMIT = 1e7;
const at = (name: string): TileSpec => {
  const { tile } = DEEP_LOCATIONS.find((l) => l.name === name)!;
  return { z: tile.z, x: tile.x, y: tile.y, scale: 1, palette: DEFAULT_PALETTE };
};
/** About 4·10⁷ steps: over LIMIT. */
const COSTLY = at("M24,1 at z200");
/** About 2·10⁶ steps: under it. */
const CHEAP = at("C = i at z50");

const pathOf = (spec: TileSpec) =>
  `/tiles/${RENDER_VERSION}/${spec.palette}/${spec.z}/${encodeTileIndex(spec.x)}/${encodeTileIndex(spec.y)}.png`;

let root: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "fractile-slow-tiles-"));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

function setup(options: Partial<SlowTilesOptions> & { clock?: { ms: number } } = {}) {
  const store = new FsTileStore(root);
  const queue: TileRenderMessage[] = [];
  const clock = options.clock ?? { ms: Date.UTC(2026, 10, 30, 7) };
  const slowTiles = createSlowTiles({
    store,
    enqueue: async (message) => {
      queue.push(message);
    },
    maxLoopSteps: () => LIMIT,
    now: () => clock.ms,
    ...options,
  });
  const handle = createTilesHandler({ store, telemetry: capturedTelemetry().telemetry, slowTiles });
  const get = async (spec: TileSpec) => (await handle(apiEvent("GET", pathOf(spec)))) as HttpResult;
  // The export worker's side, on the same store, with the tile handler's renderer.
  const worker = createSlowTileWorker({
    store,
    renderTile: createReferenceCachingRenderer({ store, renderVersion: RENDER_VERSION }),
    renderVersion: RENDER_VERSION,
  });
  return { store, queue, clock, get, worker };
}

/** The tile as a handler without slow tiles renders and serves it (its own empty store). */
async function synchronousAnswer(spec: TileSpec): Promise<HttpResult> {
  const store = new FsTileStore(path.join(root, "sync"));
  const handle = createTilesHandler({ store, telemetry: capturedTelemetry().telemetry });
  return (await handle(apiEvent("GET", pathOf(spec)))) as HttpResult;
}

describe("slow tiles: rendered off the request path", () => {
  it("answers 503 tile_rendering with Retry-After and no-store, sends the tile once, then serves the worker's tile", async () => {
    const { queue, clock, get, worker, store } = setup();

    const first = await get(COSTLY);
    expect(first.statusCode).toBe(503);
    const body = jsonBody(first);
    expect(body.error).toBe("tile_rendering");
    expect(typeof body.detail).toBe("string");
    expect(Number.isInteger(body.retryAfterSeconds)).toBe(true);
    expect(body.retryAfterSeconds as number).toBeGreaterThanOrEqual(SLOW_TILES.minRetryAfterSeconds);
    expect(first.headers?.["retry-after"]).toBe(String(body.retryAfterSeconds));
    expect(first.headers?.["cache-control"]).toBe("no-store");
    expect(await store.has(tileKey(COSTLY, RENDER_VERSION))).toBe(false);

    // Later requests, before the worker is done: the marker answers, nothing is sent again.
    clock.ms += 2000;
    const again = await Promise.all([get(COSTLY), get(COSTLY)]);
    clock.ms += 2000;
    again.push(await get(COSTLY));
    for (const answer of again) {
      expect(answer.statusCode).toBe(503);
      expect(jsonBody(answer).error).toBe("tile_rendering");
      expect(Number(answer.headers?.["retry-after"])).toBeLessThanOrEqual(body.retryAfterSeconds as number);
    }
    expect(queue).toHaveLength(1);

    expect(await worker(queue[0])).toBe("rendered");
    const served = await get(COSTLY);
    const synchronous = await synchronousAnswer(COSTLY);
    expect(served.statusCode).toBe(200);
    expect(synchronous.statusCode).toBe(200);
    expect(bodyBytes(served).equals(bodyBytes(synchronous))).toBe(true);
    expect(bodyBytes(served).equals(Buffer.from(renderTilePng(COSTLY)))).toBe(true);
    expect(served.headers).toEqual(synchronous.headers);

    // The same message delivered again (SQS at-least-once) finds the tile and renders nothing.
    expect(await worker(queue[0])).toBe("cached");
  }, 60_000);

  // The same scenario runs on radosgw (test/s3-tile-store.test.ts).
  it("stores the reference orbit of refused tiles once; the worker reads it instead of computing it", async () => {
    const captured = capturedTelemetry();
    const store = new FsTileStore(root, { onFault: storeFaultReporter(captured.telemetry) });
    await expectRefusedTilesKeepTheirReference({ store, captured, renderVersion: RENDER_VERSION });
  }, 60_000);

  it("renders a tile under the limit on the request path, sending nothing", async () => {
    const { queue, get } = setup();
    const answer = await get(CHEAP);
    expect(answer.statusCode).toBe(200);
    expect(bodyBytes(answer).equals(Buffer.from(renderTilePng(CHEAP)))).toBe(true);
    expect(queue).toHaveLength(0);
  }, 60_000);

  it("sends the tile again once its marker is older than the worker's timeout", async () => {
    const { queue, clock, get } = setup();
    expect((await get(COSTLY)).statusCode).toBe(503);
    clock.ms += SLOW_TILES.markerMaxAgeSeconds * 1000 + 1;
    expect((await get(COSTLY)).statusCode).toBe(503);
    expect(queue).toHaveLength(2);
  }, 60_000);

  it("answers 503 queue_unavailable with Retry-After when the queue refuses, and leaves no marker", async () => {
    const { get, store } = setup({
      enqueue: async () => {
        throw new Error("SQS is down");
      },
    });
    const answer = await get(COSTLY);
    expect(answer.statusCode).toBe(503);
    expect(jsonBody(answer).error).toBe("queue_unavailable");
    expect(Number(answer.headers?.["retry-after"])).toBeGreaterThan(0);
    expect(await store.get(pendingKey(tileKey(COSTLY, RENDER_VERSION)))).toBeUndefined();
  }, 60_000);

  it("drops a message of another render version instead of rendering its bytes", async () => {
    const { worker, store } = setup();
    const message: TileRenderMessage = {
      kind: "tile",
      renderVersion: "r0-other",
      palette: DEFAULT_PALETTE,
      z: 3,
      x: "1",
      y: "2",
      scale: 1,
    };
    expect(await worker(message)).toBe("other-render-version");
    expect(await store.has(tileKey({ z: 3, x: 1n, y: 2n, scale: 1, palette: DEFAULT_PALETTE }, "r0-other"))).toBe(
      false,
    );
  });
});

describe("the exports queue's consumers take tile messages next to parts", () => {
  const message: TileRenderMessage = {
    kind: "tile",
    renderVersion: "r",
    palette: "classic",
    z: 40,
    x: "a",
    y: "b",
    scale: 1,
  };
  const part = { jobId: "00000000-0000-4000-8000-000000000000", part: 0 };
  const jobsStub = (parts: unknown[]) =>
    ({
      processPart: async (m: unknown) => {
        parts.push(m);
        return "rendered";
      },
      failJob: async () => {},
    }) as unknown as ExportJobs;

  it("the Lambda worker hands a tile message to the slow-tile renderer and a part to the jobs", async () => {
    const tiles: TileRenderMessage[] = [];
    const parts: unknown[] = [];
    const worker = createExportWorker({
      jobs: jobsStub(parts),
      telemetry: capturedTelemetry().telemetry,
      renderSlowTile: async (m) => {
        tiles.push(m);
        return "rendered";
      },
    });
    const records = [message, part].map((body, i) => ({ messageId: String(i), body: JSON.stringify(body) }));
    const out = await worker({ Records: records } as unknown as SQSEvent);
    expect(out.batchItemFailures).toEqual([]);
    expect(tiles).toEqual([message]);
    expect(parts).toEqual([part]);
  });

  it("the local in-process queue does the same", async () => {
    const tiles: TileRenderMessage[] = [];
    const parts: unknown[] = [];
    const queue = createLocalExportQueue({ concurrency: 2 });
    queue.consumeWith(jobsStub(parts), async (m) => {
      tiles.push(m);
      return "rendered";
    });
    await queue.enqueue([message, part]);
    await queue.idle();
    expect(tiles).toEqual([message]);
    expect(parts).toEqual([part]);
  });
});
