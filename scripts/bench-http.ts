/**
 * `npm run bench:http [-- --duration 10 --connections 8]`
 *
 * Loopback HTTP benchmark of the local server (the same handlers as Lambda)
 * with autocannon: requests/s and p50/p99 latency for
 *   1. cached tiles   — z0–z4 prefilled into a fresh disk cache, requests cycle over them;
 *   2. revalidations  — the same tiles with a matching If-None-Match (304);
 *   3. uncached tiles — every request a distinct z8 tile, so each one renders.
 * The server runs as a child process so rendering and load generation do
 * not share one event loop (on this machine they still share two cores).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import autocannon, { type Result } from "autocannon";
import { DEFAULT_PALETTE, RENDER_VERSION, encodeTileIndex, renderTilePng, warmUp } from "../packages/render/index";
import { FsTileStore } from "../functions/lib/fs-tile-store";
import { prefillTiles, tilesInZoomRange } from "../functions/lib/prefill";

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const CACHED_MAX_ZOOM = 4;
const UNCACHED_ZOOM = 8;

const tileUrl = (z: number, x: number | bigint, y: number | bigint) =>
  `/tiles/${RENDER_VERSION}/${DEFAULT_PALETTE}/${z}/${encodeTileIndex(BigInt(x))}/${encodeTileIndex(BigInt(y))}.png`;

async function startServerProcess(cacheDir: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(REPO_ROOT, "scripts", "serve.ts")], {
    env: { ...process.env, PORT: "0", HOST: "127.0.0.1", TILE_CACHE_DIR: cacheDir, TILE_BUCKET: "" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let seen = "";
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(seen);
      if (match) {
        child.stdout!.off("data", onData);
        child.stdout!.resume(); // keep draining the request log
        resolve(match[1]);
      }
    };
    child.stdout!.on("data", onData);
    child.once("exit", (code) => reject(new Error(`server exited with ${code} before listening:\n${seen}`)));
  });
  return { url, child };
}

function cycle<T>(items: readonly T[]): () => T {
  let i = 0;
  return () => items[i++ % items.length];
}

async function run(name: string, url: string, options: { duration: number; connections: number }, nextRequest: () => { path: string; headers?: Record<string, string> }) {
  const result: Result = await autocannon({
    url,
    connections: options.connections,
    duration: options.duration,
    timeout: 30,
    requests: [{ method: "GET", setupRequest: (request) => ({ ...request, ...nextRequest() }) }],
  });
  return { name, result };
}

function report(rows: Array<{ name: string; result: Result }>, connections: number): void {
  console.log(`\nfractile bench:http — render version ${RENDER_VERSION}, ${connections} connections, ${os.cpus().length} cores (${os.cpus()[0]?.model.trim()})`);
  console.log("scenario            req/s (mean)   p50 ms   p99 ms   requests   non-2xx (304s expected in row 2)   errors");
  for (const { name, result } of rows) {
    const bad = result.non2xx;
    console.log(
      `${name.padEnd(20)}${result.requests.average.toFixed(0).padStart(12)}${result.latency.p50.toFixed(0).padStart(9)}${result.latency.p99.toFixed(0).padStart(9)}` +
        `${String(result.requests.total).padStart(11)}${String(bad).padStart(10)}${String(result.errors + result.timeouts).padStart(33)}`,
    );
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { duration: { type: "string", default: "10" }, connections: { type: "string", default: "8" } } });
  const duration = Number(values.duration);
  const connections = Number(values.connections);
  if (!(duration > 0 && duration <= 120) || !(Number.isInteger(connections) && connections >= 1 && connections <= 256)) {
    console.error("usage: npm run bench:http -- [--duration SECONDS (1–120)] [--connections N (1–256)]");
    process.exit(2);
  }

  const cacheDir = await mkdtemp(path.join(os.tmpdir(), "fractile-bench-http-"));
  let child: ChildProcess | undefined;
  try {
    warmUp();
    const prefill = await prefillTiles({
      store: new FsTileStore(cacheDir),
      renderVersion: RENDER_VERSION,
      render: renderTilePng,
      palette: DEFAULT_PALETTE,
      maxZoom: CACHED_MAX_ZOOM,
    });
    console.log(`prefilled ${prefill.rendered} tiles (z0–${CACHED_MAX_ZOOM}) into ${cacheDir}`);
    const server = await startServerProcess(cacheDir);
    child = server.child;
    console.log(`server at ${server.url}; ${duration} s per scenario`);

    const cached = [...tilesInZoomRange(0, CACHED_MAX_ZOOM, DEFAULT_PALETTE, 1)].map((t) => tileUrl(t.z, t.x, t.y));
    // ETags for the revalidation scenario, fetched once.
    const etags = new Map<string, string>();
    for (const url of cached) {
      const response = await fetch(server.url + url);
      await response.arrayBuffer();
      etags.set(url, response.headers.get("etag") ?? "");
    }
    // z8 tiles over re ∈ [-2, 0.5] × im ∈ [-1.25, 1.25], visited in a scattered order (odd
    // stride modulo the count) so each run sees a fair mix of exterior, boundary and interior
    // tiles, and no tile twice.
    const region = { x0: 32, y0: 48, side: 160 };
    const regionTiles = region.side * region.side;
    let next = 0;

    const rows = [
      await run("cached tiles", server.url, { duration, connections }, (() => { const url = cycle(cached); return () => ({ path: url() }); })()),
      await run("304 revalidation", server.url, { duration, connections }, (() => {
        const url = cycle(cached);
        return () => { const p = url(); return { path: p, headers: { "if-none-match": etags.get(p)! } }; };
      })()),
      await run("uncached renders", server.url, { duration, connections }, () => {
        const i = (next++ * 7919) % regionTiles;
        return { path: tileUrl(UNCACHED_ZOOM, region.x0 + (i % region.side), region.y0 + Math.floor(i / region.side)) };
      }),
    ];
    report(rows, connections);
  } finally {
    child?.kill("SIGTERM");
    await rm(cacheDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(`bench:http failed: ${error instanceof Error ? error.stack : String(error)}`);
  process.exit(1);
});
