/**
 * Exports through the local server: POST /exports, the in-process queue renders the parts on the
 * render pool, GET /exports/{id} reports done with a link the same server serves.
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { loadImage } from "@napi-rs/canvas";
import { PNG } from "pngjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FsExportObjects } from "../functions/lib/export-objects";
import { FsTileStore } from "../functions/lib/fs-tile-store";
import { tileKey } from "../packages/cache/index";
import { RENDER_VERSION, encodeTileIndex } from "../packages/render/index";
import { startServer, type RunningServer } from "./serve";

let base: string;
let server: RunningServer;
let tiles: FsTileStore;
beforeAll(async () => {
  base = await mkdtemp(path.join(os.tmpdir(), "fractile-serve-exports-"));
  const exportObjects = new FsExportObjects(path.join(base, "exports"), (key) => `/${key}`);
  tiles = new FsTileStore(path.join(base, "tiles"));
  server = await startServer({
    store: tiles,
    port: 0,
    webRoot: path.join(base, "web"),
    logLevel: "SILENT",
    renderThreads: 2,
    exportObjects,
  });
});
afterAll(async () => {
  await server?.close();
  await rm(base, { recursive: true, force: true });
});

describe("exports in local mode", () => {
  it("submits, renders on the pool, reports done and serves the poster", async () => {
    const body = { re: "-0.75", im: "0.1", zoom: 2, width: 4200, height: 300, palette: "magma" };
    const created = await fetch(`${server.url}/exports`, { method: "POST", body: JSON.stringify(body) });
    expect(created.status).toBe(202);
    const { id, statusUrl } = (await created.json()) as { id: string; statusUrl: string };
    expect(created.headers.get("location")).toBe(statusUrl);

    await server.exportQueue.idle();
    const status = (await (await fetch(`${server.url}${statusUrl}`)).json()) as Record<string, unknown>;
    expect(status).toMatchObject({ id, status: "done", progress: 1, url: `/exports/${id}/poster.png` });
    const poster = await fetch(`${server.url}${status.url}`);
    expect(poster.status).toBe(200);
    expect(poster.headers.get("content-type")).toBe("image/png");
    const png = PNG.sync.read(Buffer.from(await poster.arrayBuffer()), { checkCRC: true });
    expect([png.width, png.height]).toEqual([4200, 300]);
  });

  it.each([
    ["jpg", "image/jpeg"],
    ["webp", "image/webp"],
  ])("serves a %s poster with its content type", async (format, contentType) => {
    const body = { re: "-0.75", im: "0.1", zoom: 2, width: 600, height: 400, format };
    const created = await fetch(`${server.url}/exports`, { method: "POST", body: JSON.stringify(body) });
    expect(created.status).toBe(202);
    const { id, statusUrl } = (await created.json()) as { id: string; statusUrl: string };
    await server.exportQueue.idle();
    const status = (await (await fetch(`${server.url}${statusUrl}`)).json()) as Record<string, unknown>;
    expect(status).toMatchObject({ status: "done", url: `/exports/${id}/poster.${format}` });
    const poster = await fetch(`${server.url}${status.url}`);
    expect(poster.status).toBe(200);
    expect(poster.headers.get("content-type")).toBe(contentType);
    const image = await loadImage(Buffer.from(await poster.arrayBuffer()));
    expect([image.width, image.height]).toEqual([600, 400]);
  });

  it("answers a size the format cannot hold with 400 naming format", async () => {
    const response = await fetch(`${server.url}/exports`, {
      method: "POST",
      body: JSON.stringify({ re: "-0.75", im: "0", zoom: 5, width: 16384, height: 64, format: "webp" }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: "invalid_parameter",
      detail: "format: webp allows at most 16383 px per side",
    });
  });

  it("fills a poster on the tile grid from the tile cache the tile handler serves, and warms it", async () => {
    // −0.75 + 0.125i at zoom 10, 512 × 256: grid pixels from (114432, 122752), tiles x 447..448, y 479..480.
    const body = { re: "-0.75", im: "0.125", zoom: 10, width: 512, height: 256 };
    const tile = { z: 10, x: 447n, y: 480n, scale: 1 as const, palette: "classic" };
    expect(await tiles.has(tileKey(tile, RENDER_VERSION))).toBe(false);
    const created = await fetch(`${server.url}/exports`, { method: "POST", body: JSON.stringify(body) });
    expect(created.status).toBe(202);
    await server.exportQueue.idle();
    const stored = await tiles.get(tileKey(tile, RENDER_VERSION));
    expect(stored).toBeDefined();
    // The tile URL answers with the very bytes the export stored.
    const url = `/tiles/${RENDER_VERSION}/classic/10/${encodeTileIndex(tile.x)}/${encodeTileIndex(tile.y)}.png`;
    const served = await fetch(`${server.url}${url}`);
    expect(served.status).toBe(200);
    expect(Buffer.from(await served.arrayBuffer()).equals(Buffer.from(stored!))).toBe(true);
  });

  it("answers a bad body with 400 naming the field", async () => {
    const response = await fetch(`${server.url}/exports`, {
      method: "POST",
      body: JSON.stringify({ re: "-0.75", im: "0", zoom: 2, width: 0, height: 1 }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { detail: string }).detail).toMatch(/^width: /);
    expect((await fetch(`${server.url}/exports/${crypto.randomUUID()}`)).status).toBe(404);
  });
});
