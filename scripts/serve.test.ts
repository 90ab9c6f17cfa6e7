import { spawn } from "node:child_process";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { PNG } from "pngjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RENDER_VERSION, encodeTileIndex, renderTilePng } from "../packages/render/index";
import { fileURLToPath } from "node:url";
import type { ObjectMetadata, TileStore } from "../packages/cache/index";
import { FsTileStore } from "../functions/lib/fs-tile-store";
import { freePort } from "../test/ceph/radosgw";
import { rawRequest } from "../test/http-client";
import { EXITING_TILE_X, THROWING_TILE_X } from "../test/render-task-that-fails";
import { createRenderPool } from "./local/render-pool";
import { startServer, type RunningServer } from "./serve";

/** Every render ends in exactly one put, so puts per key count renders without touching the renderer. */
class PutCountingStore implements TileStore {
  readonly puts = new Map<string, number>();
  constructor(private readonly inner: TileStore) {}
  get(key: string) {
    return this.inner.get(key);
  }
  getWithMetadata(key: string) {
    return this.inner.getWithMetadata(key);
  }
  has(key: string) {
    return this.inner.has(key);
  }
  async put(key: string, bytes: Uint8Array, metadata?: ObjectMetadata) {
    this.puts.set(key, (this.puts.get(key) ?? 0) + 1);
    await this.inner.put(key, bytes, metadata);
  }
  async replace(key: string, bytes: Uint8Array, metadata?: ObjectMetadata) {
    this.puts.set(key, (this.puts.get(key) ?? 0) + 1);
    await this.inner.replace(key, bytes, metadata);
  }
}

let base: string;
let server: RunningServer;
let store: PutCountingStore;
beforeAll(async () => {
  base = await mkdtemp(path.join(os.tmpdir(), "fractile-serve-"));
  await mkdir(path.join(base, "web", "assets"), { recursive: true });
  await writeFile(path.join(base, "web", "index.html"), "<!doctype html><title>viewer</title>");
  await writeFile(path.join(base, "web", "assets", "app.js"), "export {};");
  await writeFile(path.join(base, "secret.txt"), "secret");
  store = new PutCountingStore(new FsTileStore(path.join(base, "tiles")));
  server = await startServer({ port: 0, store, webRoot: path.join(base, "web"), logLevel: "SILENT" });
});
afterAll(async () => {
  await server?.close();
  await rm(base, { recursive: true, force: true });
});

const tile = `/tiles/${RENDER_VERSION}/classic/2/1/2.png`;

describe("local server", () => {
  it("serves tiles through the Lambda handler, with ETag and 304", async () => {
    const first = await rawRequest(server.url, "GET", tile);
    expect(first.status).toBe(200);
    expect(first.headers["content-type"]).toBe("image/png");
    expect(first.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(PNG.sync.read(first.body).width).toBe(256);
    const again = await rawRequest(server.url, "GET", tile, { "if-none-match": String(first.headers.etag) });
    expect(again.status).toBe(304);
    expect(again.body.byteLength).toBe(0);
    const head = await rawRequest(server.url, "HEAD", tile);
    expect(head.status).toBe(200);
    expect(head.headers["content-length"]).toBe(String(first.body.byteLength));
    expect(await readdir(path.join(base, "tiles", "tiles", RENDER_VERSION, "classic", "2", "1"))).toContain("2.png");
  });

  it("renders a tile asked for by 16 requests at once only once, in the worker pool", async () => {
    const target = `/tiles/${RENDER_VERSION}/magma/6/k/v.png`; // x = 20, y = 31 in base 36
    // fetch opens a connection per request, so all 16 are in flight together.
    const bodies = await Promise.all(
      Array.from({ length: 16 }, async () => {
        const response = await fetch(server.url + target);
        expect(response.status).toBe(200);
        return Buffer.from(await response.arrayBuffer());
      }),
    );
    expect(store.puts.get(target.slice(1))).toBe(1);
    const expected = renderTilePng({ z: 6, x: 20n, y: 31n, scale: 1, palette: "magma" });
    for (const body of bodies) expect(body.equals(Buffer.from(expected))).toBe(true);
  });

  it("serves /health, /meta and /render.png", async () => {
    const health = await rawRequest(server.url, "GET", "/health");
    expect(JSON.parse(health.body.toString())).toMatchObject({
      status: "ok",
      renderVersion: RENDER_VERSION,
      functionVersion: "$LATEST",
    });
    const meta = JSON.parse((await rawRequest(server.url, "GET", "/meta")).body.toString());
    expect(meta.tileUrlTemplate).toContain(RENDER_VERSION);
    const image = await rawRequest(server.url, "GET", "/render.png?width=40&height=20&zoom=1");
    expect(image.status).toBe(200);
    expect(PNG.sync.read(image.body).height).toBe(20);
  });

  it("serves the viewer with content types, and index.html for /", async () => {
    const index = await rawRequest(server.url, "GET", "/");
    expect(index.status).toBe(200);
    expect(index.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(index.body.toString()).toContain("viewer");
    const script = await rawRequest(server.url, "GET", "/assets/app.js");
    expect(script.headers["content-type"]).toBe("text/javascript; charset=utf-8");
  });

  it.each(["/../secret.txt", "/%2e%2e/secret.txt", "/assets/..%2f..%2fsecret.txt", "/..%5csecret.txt"])(
    "never serves files outside the web root: %s",
    async (target) => {
      const response = await rawRequest(server.url, "GET", target);
      expect(response.body.toString()).not.toContain("secret");
      expect(response.status).toBe(404);
      expect(JSON.parse(response.body.toString())).toMatchObject({ error: "not_found" });
    },
  );

  it("answers wrong methods with 405 JSON and Allow", async () => {
    const response = await rawRequest(server.url, "POST", "/health");
    expect(response.status).toBe(405);
    expect(response.headers.allow).toBe("GET, HEAD");
    expect(JSON.parse(response.body.toString()).error).toBe("method_not_allowed");
  });

  it("answers malformed HTTP with a 400 JSON body and keeps running", async () => {
    const { port } = new URL(server.url);
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(Number(port), "127.0.0.1", () => socket.write("GARBAGE\r\n\r\n"));
      let data = "";
      socket.on("data", (chunk) => (data += chunk));
      socket.on("end", () => resolve(data));
      socket.on("error", reject);
    });
    expect(reply).toMatch(/^HTTP\/1\.1 400/);
    expect(reply).toContain('"error":"bad_request"');
    expect((await rawRequest(server.url, "GET", "/health")).status).toBe(200);
  });
});

describe("a render that fails in a worker", () => {
  it("is a 500 JSON answer, and the server goes on rendering", async () => {
    const failing = fileURLToPath(new URL("../test/render-task-that-fails.ts", import.meta.url));
    const renderPool = createRenderPool({ threads: 1, taskModule: failing });
    const local = await startServer({
      port: 0,
      store: new FsTileStore(path.join(base, "failing-tiles")),
      renderPool,
      logLevel: "SILENT",
    });
    try {
      for (const x of [THROWING_TILE_X, EXITING_TILE_X]) {
        const response = await rawRequest(
          local.url,
          "GET",
          `/tiles/${RENDER_VERSION}/classic/4/${encodeTileIndex(x)}/5.png`,
        );
        expect(response.status).toBe(500);
        expect(JSON.parse(response.body.toString())).toMatchObject({ error: "internal_error" });
      }
      const after = await rawRequest(local.url, "GET", `/tiles/${RENDER_VERSION}/classic/4/3/5.png`);
      expect(after.status).toBe(200);
      expect(after.body.equals(Buffer.from(renderTilePng({ z: 4, x: 3n, y: 5n, scale: 1, palette: "classic" })))).toBe(
        true,
      );
    } finally {
      await local.close();
      await renderPool.close();
    }
  });
});

describe("npm start (scripts/serve.ts as a script)", () => {
  it("honours PORT, prints its URL and stops cleanly on SIGTERM", async () => {
    const port = await freePort();
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/serve.ts"], {
      env: {
        ...process.env,
        PORT: String(port),
        TILE_CACHE_DIR: path.join(base, "script-tiles"),
        POWERTOOLS_LOG_LEVEL: "ERROR",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    try {
      await new Promise<void>((resolve, reject) => {
        const poll = setInterval(() => {
          if (output.includes("listening on")) {
            clearInterval(poll);
            resolve();
          }
        }, 50);
        exited.then(() => {
          clearInterval(poll);
          reject(new Error(`server exited early:\n${output}`));
        });
      });
      expect(output).toContain(`http://localhost:${port}`);
      const health = await rawRequest(`http://localhost:${port}`, "GET", "/health");
      expect(health.status).toBe(200);
    } finally {
      child.kill("SIGTERM");
    }
    expect(await exited).toBe(0);
  });
});
