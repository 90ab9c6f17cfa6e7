/**
 * Aligned posters filled from the tile cache on S3 for real (radosgw, started by the s3 project's
 * globalSetup): export parts and tiles share one bucket as on AWS. The poster is the same bytes
 * with reuse off, from a cold cache (which it warms with the tile handler's objects) and warm.
 */
import { createHash } from "node:crypto";
import { HeadObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tileKey } from "../../packages/cache/index";
import type { PartMessage } from "../../packages/export/index";
import { RENDER_VERSION, renderTilePng, renderViewIndices } from "../../packages/render/index";
import { createExportJobs } from "../../functions/lib/export-jobs";
import { S3ExportObjects } from "../../functions/lib/export-objects";
import { createPosterTiles } from "../../functions/lib/export-tiles";
import { S3TileStore, createS3Client } from "../../functions/lib/s3-tile-store";
import { createReferenceCachingRenderer } from "../../functions/lib/tile-renderer";
import { RADOSGW_CREDENTIALS, startRadosgw, type Radosgw } from "./radosgw";

let rgw: Radosgw;
let objects: S3ExportObjects;
let tiles: S3TileStore;
const faults: unknown[] = [];
beforeAll(async () => {
  rgw = await startRadosgw({ bucket: "fractile-test-export-tiles" });
  objects = new S3ExportObjects(rgw.admin, rgw.bucket);
  // The tile function's fail-fast client, as the worker uses it.
  tiles = new S3TileStore({
    client: createS3Client({ endpoint: rgw.endpoint, credentials: RADOSGW_CREDENTIALS }),
    bucket: rgw.bucket,
    onFault: (fault) => faults.push(fault),
    pauseAfterFaultMs: 0,
  });
}, 420_000);
afterAll(async () => {
  await rgw?.stop();
}, 60_000);

/**
 * Two parts (4200 > 4096 columns: 2100 each) on the grid at zoom 10 around the tip of the
 * antenna, −2: grid columns 30668..34867, rows 130772..131371, i.e. 1x tiles x 119..136, y 510..513.
 */
const POSTER = { re: "-2", im: "0", zoom: 10, width: 4200, height: 600 };
const TILES = 18 * 4;

async function posterSha(partFromTiles?: ReturnType<typeof createPosterTiles>): Promise<string> {
  const queue: PartMessage[] = [];
  const jobs = createExportJobs({
    objects,
    enqueue: async (m) => void queue.push(...m),
    renderIndices: renderViewIndices,
    partFromTiles,
  });
  const job = await jobs.submit(POSTER);
  expect(queue).toHaveLength(2);
  await Promise.all(queue.map((message) => jobs.processPart(message)));
  const status = (await jobs.status(job.id))!;
  expect(status.status).toBe("done");
  const bytes = Buffer.from(await (await fetch(status.url!)).arrayBuffer());
  return createHash("sha256").update(bytes).digest("hex");
}

const source = () =>
  createPosterTiles({
    store: tiles,
    renderTile: createReferenceCachingRenderer({ store: tiles, renderVersion: RENDER_VERSION }),
  });

describe("an aligned poster on S3", () => {
  it("has the same sha256 rendered, from a cold tile cache and from the warm one", async () => {
    const rendered = await posterSha();

    const cold = source();
    expect(await posterSha(cold)).toBe(rendered);
    expect(cold.counts).toMatchObject({ parts: 2, cached: 0, cachedAbove: 0, rendered: TILES });

    // What the export left is what the tile handler would have stored: same bytes, metadata, type.
    const spec = { z: 10, x: 127n, y: 511n, scale: 1 as const, palette: "classic" };
    const head = await rgw.admin.send(
      new HeadObjectCommand({ Bucket: rgw.bucket, Key: tileKey(spec, RENDER_VERSION) }),
    );
    expect(head.ContentType).toBe("image/png");
    expect(head.Metadata).toEqual({ "fractile-iterations": "1000" });
    expect(
      Buffer.from((await tiles.get(tileKey(spec, RENDER_VERSION)))!).equals(Buffer.from(renderTilePng(spec))),
    ).toBe(true);

    const warm = source();
    expect(await posterSha(warm)).toBe(rendered);
    expect(warm.counts).toMatchObject({ parts: 2, cached: TILES, rendered: 0 });
    expect(faults).toEqual([]);
  });
});
