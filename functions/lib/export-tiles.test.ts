/**
 * Poster parts from cached tiles (docs/exports.md, "Reusing cached tiles"), on the file stores
 * (the S3 stores on radosgw: test/ceph/export-tiles.test.ts): the same poster bytes from a cold
 * cache, a warm one, @2x tiles, damaged tiles, and with reuse switched off.
 */
import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { tileKey } from "../../packages/cache/index";
import { jobKeys, partView, posterTileAlignment, type PartMessage, type PosterSpec } from "../../packages/export/index";
import { RENDER_VERSION, renderTilePng, renderViewIndices, type TileSpec } from "../../packages/render/index";
import { createExportJobs } from "./export-jobs";
import { FsExportObjects } from "./export-objects";
import { createPosterTiles } from "./export-tiles";
import { FsTileStore } from "./fs-tile-store";
import { createReferenceCachingRenderer } from "./tile-renderer";

let root: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "fractile-export-tiles-"));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** On the grid at zoom 10 (pixels of 2^-16), beside the seahorse valley: structure in every tile. */
const ALIGNED = { re: "-0.75", im: "0.125", zoom: 10, width: 700, height: 500, palette: "classic" };

function tileStore(): FsTileStore {
  return new FsTileStore(path.join(root, "tiles"));
}

function tileSource(store: FsTileStore) {
  return createPosterTiles({
    store,
    renderTile: createReferenceCachingRenderer({ store, renderVersion: RENDER_VERSION }),
  });
}

/** Runs one job to the end with every part delivered once; the poster's sha256. */
async function posterSha(body: object, partFromTiles?: ReturnType<typeof tileSource>): Promise<string> {
  const queue: PartMessage[] = [];
  const objects = new FsExportObjects(path.join(root, "exports"));
  const jobs = createExportJobs({
    objects,
    enqueue: async (messages) => void queue.push(...messages),
    renderIndices: renderViewIndices,
    partFromTiles,
  });
  const job = await jobs.submit(body);
  await Promise.all(queue.map((message) => jobs.processPart(message)));
  expect((await jobs.status(job.id))?.status).toBe("done");
  const bytes = await readFile(objects.pathOf(jobKeys(job.id).result("png")));
  return createHash("sha256").update(bytes).digest("hex");
}

describe("poster parts from cached tiles", () => {
  it("gives the same bytes cold, warm and with reuse off, and leaves the tiles the tile handler would serve", async () => {
    const store = tileStore();
    const rendered = await posterSha(ALIGNED);

    const cold = tileSource(store);
    expect(await posterSha(ALIGNED, cold)).toBe(rendered);
    // Left edge (−0.75 + 2.5)·2^16 − 350 = 114338, top (2 − 0.125)·2^16 − 250 = 122630: grid
    // columns 114338..115037 and rows 122630..123129 are 1x tiles x 446..449, y 479..480.
    expect(cold.counts).toMatchObject({ parts: 1, cached: 0, cachedAbove: 0, rendered: 8 });
    const tile: TileSpec = { z: 10, x: 446n, y: 479n, scale: 1, palette: "classic" };
    const stored = await store.getWithMetadata(tileKey(tile, RENDER_VERSION));
    expect(Buffer.from(stored!.bytes).equals(Buffer.from(renderTilePng(tile)))).toBe(true);
    expect(stored!.metadata).toEqual({ "fractile-iterations": "1000" });

    const warm = tileSource(store);
    expect(await posterSha(ALIGNED, warm)).toBe(rendered);
    expect(warm.counts).toMatchObject({ parts: 1, cached: 8, rendered: 0 });
  });

  it("takes @2x tiles one zoom up where no 1x tile is cached", async () => {
    const store = tileStore();
    const spec = { ...ALIGNED, kind: "poster", maxIter: 1000 } as PosterSpec;
    const found = posterTileAlignment(spec);
    if (!found.aligned) throw new Error(found.reason);
    expect(found.layers[1]).toEqual({ z: 9, scale: 2 });
    // The same grid pixels in 512-px tiles: x 223..224, y 239..240 of zoom 9.
    for (const x of [223n, 224n])
      for (const y of [239n, 240n]) {
        const above: TileSpec = { z: 9, x, y, scale: 2, palette: "classic" };
        await store.put(tileKey(above, RENDER_VERSION), renderTilePng(above));
      }
    const source = tileSource(store);
    expect(await posterSha(ALIGNED, source)).toBe(await posterSha(ALIGNED));
    expect(source.counts).toMatchObject({ cached: 0, cachedAbove: 8, rendered: 0 });
  });

  it("never uses a damaged cached tile: it renders that one afresh", async () => {
    const store = tileStore();
    await posterSha(ALIGNED, tileSource(store));
    const key = tileKey({ z: 10, x: 447n, y: 480n, scale: 1, palette: "classic" }, RENDER_VERSION);
    const good = (await store.get(key))!;
    const damaged = good.slice();
    damaged[damaged.length - 30] ^= 0xff;
    await store.put(key, damaged);
    const source = tileSource(store);
    expect(await posterSha(ALIGNED, source)).toBe(await posterSha(ALIGNED));
    expect(source.counts).toMatchObject({ cached: 7, unreadable: 1, rendered: 1 });
    expect(Buffer.from((await store.get(key))!).equals(Buffer.from(good))).toBe(true); // repaired
  });

  it("leaves posters off the grid to the part renderer and the cache untouched", async () => {
    const store = tileStore();
    const source = tileSource(store);
    for (const body of [
      { ...ALIGNED, zoom: 10.5 },
      { ...ALIGNED, im: "0.1" },
    ]) {
      expect(await posterSha(body, source)).toBe(await posterSha(body));
    }
    expect(source.counts).toMatchObject({ parts: 0, cached: 0, rendered: 0 });
    expect(await store.has(tileKey({ z: 10, x: 446n, y: 479n, scale: 1, palette: "classic" }, RENDER_VERSION))).toBe(
      false,
    );
  });

  it("renders a tile two parts in flight share once", async () => {
    const store = tileStore();
    // Renders are held until sixteen have started: every lookup misses, so only the shared flight
    // can keep the parts from rendering their common tiles twice (20 renders instead of 16).
    let started = 0;
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const source = createPosterTiles({
      store,
      concurrency: 16, // every tile of a part at once, so all renders can be waiting together
      renderTile: async (spec) => {
        if (++started === 16) release();
        await gate;
        return renderTilePng(spec);
      },
    });
    // 1024² from grid pixel (114176, 122368) = tile (446, 478) exactly: 4 × 4 tiles. Split at row
    // 384, the middle of tile row 479, which both parts need.
    const spec = { ...ALIGNED, width: 1024, height: 1024, kind: "poster", maxIter: 1000 } as PosterSpec;
    const top = { index: 0, x0: 0, y0: 0, width: 1024, height: 384 };
    const bottom = { index: 1, x0: 0, y0: 384, width: 1024, height: 640 };
    const [a, b] = await Promise.all([source(spec, top), source(spec, bottom)]);
    expect(started).toBe(16);
    const whole = renderViewIndices(partView(spec, { index: 0, x0: 0, y0: 0, width: 1024, height: 1024 }));
    expect(Buffer.concat([a!, b!]).equals(Buffer.from(whole))).toBe(true);
  });

  it("leaves a thin part to the part renderer when its missing tiles would cost more than twice its pixels", async () => {
    const store = tileStore();
    const source = tileSource(store);
    const spec = { ...ALIGNED, kind: "poster", maxIter: 1000 } as PosterSpec;
    // 20 rows inside tile row 479: four 256² tiles for 700 × 20 pixels.
    const thin = { index: 0, x0: 0, y0: 100, width: 700, height: 20 };
    expect(await source(spec, thin)).toBeUndefined();
    expect(source.counts).toMatchObject({ parts: 0, partsRendered: 1, rendered: 0 });
    expect(await store.has(tileKey({ z: 10, x: 446n, y: 479n, scale: 1, palette: "classic" }, RENDER_VERSION))).toBe(
      false,
    );
    // Once the tiles are cached (a whole poster warmed them), the same part comes from them.
    await posterSha(ALIGNED, source);
    const fromTiles = await source(spec, thin);
    expect(Buffer.from(fromTiles!).equals(Buffer.from(renderViewIndices(partView(spec, thin))))).toBe(true);
  });
});
