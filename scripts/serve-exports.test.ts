/**
 * Exports through the local server: POST /exports, the in-process queue renders the parts on the
 * render pool, GET /exports/{id} reports done with a link the same server serves.
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { PNG } from "pngjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FsExportObjects } from "../functions/lib/export-objects";
import { startServer, type RunningServer } from "./serve";

let base: string;
let server: RunningServer;
beforeAll(async () => {
  base = await mkdtemp(path.join(os.tmpdir(), "fractile-serve-exports-"));
  const exportObjects = new FsExportObjects(path.join(base, "exports"), (key) => `/${key}`);
  server = await startServer({
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
