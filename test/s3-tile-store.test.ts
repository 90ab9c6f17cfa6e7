/**
 * The S3 tile store and the tile handler against a real S3 server: a Ceph
 * radosgw that this file starts (one instance, ~15 s) and stops. All S3
 * integration tests live in this one file so only one cluster runs at a time.
 * The fault test stops radosgw, so it runs last.
 */
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { PNG } from "pngjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tileKey } from "../packages/cache/index";
import { RENDER_VERSION, iterationBudget, renderTilePng } from "../packages/render/index";
import type { HttpResult } from "../functions/lib/http";
import { storeFaultReporter } from "../functions/lib/observability";
import { S3TileStore, createS3Client } from "../functions/lib/s3-tile-store";
import { storeFromEnv } from "../functions/lib/store-from-env";
import { createTilesHandler } from "../functions/lib/tiles-handler";
import { RADOSGW_CREDENTIALS, startRadosgw, type Radosgw } from "./ceph/radosgw";
import { apiEvent, bodyBytes, capturedTelemetry } from "./handler-harness";
import { CORRUPTIONS, expectCorruptReferenceRepaired } from "./reference-repair";
import { expectRefusedTilesKeepTheirReference } from "./refused-reference";

let rgw: Radosgw;
beforeAll(async () => {
  rgw = await startRadosgw({ bucket: "fractile-test-tiles" });
}, 420_000); // usually ~20 s; longer only while another test run's cluster holds the machine lock
afterAll(async () => {
  await rgw?.stop();
}, 60_000);

function tileStore(onFault?: ConstructorParameters<typeof S3TileStore>[0]["onFault"]) {
  const client = createS3Client({ endpoint: rgw.endpoint, credentials: RADOSGW_CREDENTIALS });
  return new S3TileStore({ client, bucket: rgw.bucket, onFault, pauseAfterFaultMs: 0 });
}

describe("S3TileStore on radosgw", () => {
  it("writes tiles with their content type and cache headers, and reads them back", async () => {
    const faults: unknown[] = [];
    const store = tileStore((f) => faults.push(f));
    const key = "tiles/r-s3/classic/4/3/2.png";
    const bytes = renderTilePng({ z: 4, x: 3n, y: 2n, scale: 1, palette: "classic" });

    expect(await store.get(key)).toBeUndefined();
    expect(await store.has(key)).toBe(false);
    await store.put(key, bytes);
    expect(await store.has(key)).toBe(true);
    expect(Buffer.from((await store.get(key))!)).toEqual(Buffer.from(bytes));

    const head = await rgw.admin.send(new HeadObjectCommand({ Bucket: rgw.bucket, Key: key }));
    expect(head.ContentType).toBe("image/png");
    expect(head.CacheControl).toBe("public, max-age=31536000, immutable");
    expect(head.ContentLength).toBe(bytes.byteLength);
    expect(faults).toEqual([]);
  });

  it("round-trips object metadata: served as x-amz-meta-* and read back by the store", async () => {
    const faults: unknown[] = [];
    const store = tileStore((f) => faults.push(f));
    const key = "tiles/r-s3/classic/5/v/u@2x.png";
    await store.put(key, new Uint8Array([9, 9]), { "fractile-iterations": "1259" });
    expect(await store.getWithMetadata(key)).toEqual({
      bytes: new Uint8Array([9, 9]),
      metadata: { "fractile-iterations": "1259" },
    });
    // What S3 answers to anyone (CloudFront included): the SDK reads Metadata from x-amz-meta-* headers.
    const head = await rgw.admin.send(new HeadObjectCommand({ Bucket: rgw.bucket, Key: key }));
    expect(head.Metadata).toEqual({ "fractile-iterations": "1259" });
    const refKey = "refs/r-s3/anchor/1000.bin";
    await store.put(refKey, new Uint8Array([1, 2, 3]));
    const ref = await rgw.admin.send(new HeadObjectCommand({ Bucket: rgw.bucket, Key: refKey }));
    expect(ref.ContentType).toBe("application/octet-stream");
    expect(await store.getWithMetadata(refKey)).toEqual({ bytes: new Uint8Array([1, 2, 3]), metadata: {} });
    expect(faults).toEqual([]);
  });

  it("keeps the first write of a key: the conditional put's 412 is not a fault", async () => {
    const faults: unknown[] = [];
    const store = tileStore((f) => faults.push(f));
    const key = "tiles/r-s3/classic/1/0/0.png";
    await store.put(key, new Uint8Array([1, 1, 1]));
    await store.put(key, new Uint8Array([2, 2]));
    const object = await rgw.admin.send(new GetObjectCommand({ Bucket: rgw.bucket, Key: key }));
    expect(Buffer.from(await object.Body!.transformToByteArray())).toEqual(Buffer.from([1, 1, 1]));
    expect(store.supportsConditionalPut).toBe(true);
    expect(faults).toEqual([]);
  });

  it("replace overwrites what put keeps (for entries proved wrong), and concurrent replacers agree", async () => {
    const faults: unknown[] = [];
    const store = tileStore((f) => faults.push(f));
    const key = "refs/r-s3/replace/1000.f1.bin";
    await store.put(key, new Uint8Array([6, 6, 6]));
    await store.put(key, new Uint8Array([1, 2]));
    expect(await store.get(key)).toEqual(new Uint8Array([6, 6, 6]));
    await Promise.all(Array.from({ length: 6 }, () => store.replace(key, new Uint8Array([1, 2]))));
    expect(await store.get(key)).toEqual(new Uint8Array([1, 2]));
    const head = await rgw.admin.send(new HeadObjectCommand({ Bucket: rgw.bucket, Key: key }));
    expect(head.ContentType).toBe("application/octet-stream");
    expect(faults).toEqual([]);
  });

  it("survives concurrent writers of the same key", async () => {
    const faults: unknown[] = [];
    const store = tileStore((f) => faults.push(f));
    const key = "tiles/r-s3/magma/2/2/2@2x.png";
    const bytes = renderTilePng({ z: 2, x: 2n, y: 2n, scale: 2, palette: "magma" });
    await Promise.all(Array.from({ length: 12 }, () => store.put(key, bytes)));
    expect(Buffer.from((await store.get(key))!)).toEqual(Buffer.from(bytes));
    expect(faults).toEqual([]);
  });

  it("is what the environment selects when TILE_BUCKET and S3_ENDPOINT are set", async () => {
    const saved = { ...process.env };
    Object.assign(process.env, {
      AWS_ACCESS_KEY_ID: RADOSGW_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: RADOSGW_CREDENTIALS.secretAccessKey,
    });
    try {
      const store = storeFromEnv(() => {}, { TILE_BUCKET: rgw.bucket, S3_ENDPOINT: rgw.endpoint });
      expect(store).toBeInstanceOf(S3TileStore);
      await store.put("tiles/r-env/classic/0/0/0.png", new Uint8Array([7]));
      expect(await tileStore().get("tiles/r-env/classic/0/0/0.png")).toEqual(new Uint8Array([7]));
    } finally {
      process.env = saved;
    }
  });
});

describe("tile handler on radosgw", () => {
  it("renders a miss into S3 and serves the next request from S3", async () => {
    const captured = capturedTelemetry();
    const store = tileStore(storeFaultReporter(captured.telemetry));
    const handle = createTilesHandler({ store, telemetry: captured.telemetry });
    const path = `/tiles/${RENDER_VERSION}/viridis/3/4/4@2x.png`;
    const first = (await handle(apiEvent("GET", path))) as HttpResult;
    const second = (await handle(apiEvent("GET", path))) as HttpResult;
    expect([first.statusCode, second.statusCode]).toEqual([200, 200]);
    expect(bodyBytes(second)).toEqual(bodyBytes(first));
    expect(captured.total("CacheHits")).toBe(1);
    const key = tileKey({ z: 3, x: 4n, y: 4n, scale: 2, palette: "viridis" }, RENDER_VERSION);
    expect(Buffer.from((await store.get(key))!)).toEqual(bodyBytes(first));
    // CloudFront serves this tile from S3 or from the handler: both must give
    // one ETag, or a browser's If-None-Match stops matching after a refill.
    const head = await rgw.admin.send(new HeadObjectCommand({ Bucket: rgw.bucket, Key: key }));
    expect(head.ETag).toBe(first.headers.etag);
    expect(head.CacheControl).toBe(first.headers["cache-control"]);
    expect(head.ContentType).toBe(first.headers["content-type"]);
    // The budget travels with the object, so a hit (here, and at the CDN) says it too.
    const budget = String(iterationBudget(3, 2));
    expect([first.headers["x-fractile-iterations"], second.headers["x-fractile-iterations"]]).toEqual([budget, budget]);
    expect(head.Metadata).toEqual({ "fractile-iterations": budget });
  });

  // The same scenario runs on the fs store (functions/lib/tiles-handler.test.ts). Each case
  // has its own render version, so tiles cached by an earlier case do not hide the render.
  it.each(Object.entries(CORRUPTIONS).map(([name, corruption], i) => [name, corruption, i] as const))(
    "replaces a corrupt stored orbit (%s) once; later tiles of the anchor read it instead of recomputing",
    async (_, corruption, i) => {
      const captured = capturedTelemetry();
      await expectCorruptReferenceRepaired(
        {
          store: tileStore(storeFaultReporter(captured.telemetry)),
          captured,
          renderVersion: `r-repair-${i}`,
          plant: async (key, bytes) => {
            await rgw.admin.send(new PutObjectCommand({ Bucket: rgw.bucket, Key: key, Body: bytes }));
          },
        },
        corruption,
      );
    },
    120_000,
  );

  // The same scenario runs on the fs store (functions/lib/slow-tiles.test.ts). Its own render
  // version per run: the scenario starts with no orbit under the key.
  it("stores the reference orbit of refused tiles once; the worker reads it instead of computing it", async () => {
    const captured = capturedTelemetry();
    await expectRefusedTilesKeepTheirReference({
      store: tileStore(storeFaultReporter(captured.telemetry)),
      captured,
      renderVersion: `r-refused-${Date.now().toString(36)}`,
    });
  }, 120_000);

  it("still serves tiles with 200 after radosgw stops, and counts the cache failures", async () => {
    const captured = capturedTelemetry();
    const store = tileStore(storeFaultReporter(captured.telemetry));
    const handle = createTilesHandler({ store, telemetry: captured.telemetry });
    const cachedPath = `/tiles/${RENDER_VERSION}/classic/2/0/0.png`;
    expect(((await handle(apiEvent("GET", cachedPath))) as HttpResult).statusCode).toBe(200);
    expect(captured.total("CacheErrors")).toBe(0);

    await rgw.stop();

    for (const path of [cachedPath, `/tiles/${RENDER_VERSION}/classic/2/3/3.png`]) {
      const result = (await handle(apiEvent("GET", path))) as HttpResult;
      expect(result.statusCode).toBe(200);
      expect(PNG.sync.read(bodyBytes(result)).width).toBe(256);
    }
    // Each request's read and write failed.
    expect(captured.total("CacheErrors")).toBe(4);
    expect(captured.total("ServerErrors")).toBe(0);
  }, 60_000);
});
