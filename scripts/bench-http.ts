/**
 * `npm run bench:http [-- --duration 10 --connections 8 --rounds 1]`
 *
 * Loopback HTTP benchmark of the local server (the same handlers as Lambda)
 * with autocannon: requests/s and p50/p99 latency for
 *   1. cached tiles   — z0–z4 prefilled into a fresh disk cache, requests cycle over them;
 *   2. revalidations  — the same tiles with a matching If-None-Match (304);
 *   3. uncached tiles — every request a distinct z8 tile, so each one renders, measured twice
 *      in the same run: rendering on the main thread (RENDER_THREADS=0, as Lambda renders)
 *      and in the worker pool (one thread per core); the ratio of the two is the pool's gain.
 * The server runs as a child process so rendering and load generation do
 * not share one event loop (on a 2-core machine they still share the cores).
 */
import { once } from "node:events";
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
import { defaultRenderThreads } from "./local/render-pool";

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const CACHED_MAX_ZOOM = 4;
const UNCACHED_ZOOM = 8;

const tileUrl = (z: number, x: number | bigint, y: number | bigint) =>
  `/tiles/${RENDER_VERSION}/${DEFAULT_PALETTE}/${z}/${encodeTileIndex(BigInt(x))}/${encodeTileIndex(BigInt(y))}.png`;

/** `renderThreads` undefined: the server's default (one worker per core). */
async function startServerProcess(
  cacheDir: string,
  renderThreads?: number,
): Promise<{ url: string; child: ChildProcess }> {
  const threads = renderThreads === undefined ? {} : { RENDER_THREADS: String(renderThreads) };
  const child = spawn(process.execPath, ["--import", "tsx", path.join(REPO_ROOT, "scripts", "serve.ts")], {
    env: { ...process.env, PORT: "0", HOST: "127.0.0.1", TILE_CACHE_DIR: cacheDir, TILE_BUCKET: "", ...threads },
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

async function run(
  name: string,
  url: string,
  options: { duration: number; connections: number },
  nextRequest: () => { path: string; headers?: Record<string, string> },
) {
  const result: Result = await autocannon({
    url,
    connections: options.connections,
    duration: options.duration,
    timeout: 30,
    requests: [{ method: "GET", setupRequest: (request) => ({ ...request, ...nextRequest() }) }],
  });
  return { name, result };
}

async function stopServerProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit");
  child.kill("SIGTERM");
  await exited;
}

type Row = { name: string; result: Result };

function printRows(rows: Row[]): void {
  console.log("scenario                 req/s (mean)   p50 ms   p99 ms   requests   non-2xx   errors");
  for (const { name, result } of rows) {
    console.log(
      name.padEnd(25) +
        result.requests.average.toFixed(0).padStart(12) +
        result.latency.p50.toFixed(0).padStart(9) +
        result.latency.p99.toFixed(0).padStart(9) +
        String(result.requests.total).padStart(11) +
        String(result.non2xx).padStart(10) +
        String(result.errors + result.timeouts).padStart(9),
    );
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const loadNote = () =>
  `load average ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(" / ")}`;

// z8 tiles over re ∈ [-2, 0.5] × im ∈ [-1.25, 1.25], visited in a scattered order (odd stride
// modulo the count) so each run sees a fair mix of exterior, boundary and interior tiles, and
// no tile twice. Every uncached run starts on an empty cache at the same first tile, so the
// one-thread and pool runs render the same tiles in the same order.
const REGION = { x0: 32, y0: 48, side: 160 };
function uncachedTiles(zoom: number): () => { path: string } {
  let next = 0;
  return () => {
    const i = (next++ * 7919) % (REGION.side * REGION.side);
    return { path: tileUrl(zoom, REGION.x0 + (i % REGION.side), REGION.y0 + Math.floor(i / REGION.side)) };
  };
}

async function measureUncached(
  name: string,
  renderThreads: number | undefined,
  options: { duration: number; connections: number },
) {
  const cacheDir = await mkdtemp(path.join(os.tmpdir(), "fractile-bench-http-uncached-"));
  const server = await startServerProcess(cacheDir, renderThreads);
  try {
    // Unmeasured: workers load and tier up, on other tiles (z7) than the measured ones.
    const warmUpRun = { duration: 2, connections: options.connections };
    await run("warm-up", server.url, warmUpRun, uncachedTiles(UNCACHED_ZOOM - 1));
    return await run(name, server.url, options, uncachedTiles(UNCACHED_ZOOM));
  } finally {
    await stopServerProcess(server.child);
    await rm(cacheDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      duration: { type: "string", default: "10" },
      connections: { type: "string", default: "8" },
      rounds: { type: "string", default: "1" },
    },
  });
  const duration = Number(values.duration);
  const connections = Number(values.connections);
  const rounds = Number(values.rounds);
  if (
    !(duration > 0 && duration <= 120) ||
    !(Number.isInteger(connections) && connections >= 1 && connections <= 256) ||
    !(Number.isInteger(rounds) && rounds >= 1 && rounds <= 9)
  ) {
    console.error(
      "usage: npm run bench:http -- [--duration SECONDS (1–120)] [--connections N (1–256)] [--rounds N (1–9)]",
    );
    process.exit(2);
  }
  const cores = os.availableParallelism();
  const poolThreads = defaultRenderThreads();
  console.log(`fractile bench:http — render version ${RENDER_VERSION}, ${connections} connections, ${duration} s each`);
  console.log(`${cores} cores (${os.cpus()[0]?.model.trim()}); pool of ${poolThreads} render threads; ${loadNote()}`);

  const cacheDir = await mkdtemp(path.join(os.tmpdir(), "fractile-bench-http-"));
  let child: ChildProcess | undefined;
  try {
    warmUp();
    const prefill = await prefillTiles({
      store: new FsTileStore(cacheDir),
      renderVersion: RENDER_VERSION,
      render: (spec) => renderTilePng(spec),
      palette: DEFAULT_PALETTE,
      maxZoom: CACHED_MAX_ZOOM,
    });
    console.log(`prefilled ${prefill.rendered} tiles (z0–${CACHED_MAX_ZOOM}) into ${cacheDir}`);
    const server = await startServerProcess(cacheDir);
    child = server.child;

    const cached = [...tilesInZoomRange(0, CACHED_MAX_ZOOM, DEFAULT_PALETTE, 1)].map((t) => tileUrl(t.z, t.x, t.y));
    // ETags for the revalidation scenario, fetched once.
    const etags = new Map<string, string>();
    for (const url of cached) {
      const response = await fetch(server.url + url);
      await response.arrayBuffer();
      etags.set(url, response.headers.get("etag") ?? "");
    }
    const options = { duration, connections };
    const cachedRows = [
      await run(
        "cached tiles",
        server.url,
        options,
        (() => {
          const url = cycle(cached);
          return () => ({ path: url() });
        })(),
      ),
      await run(
        "304 revalidation",
        server.url,
        options,
        (() => {
          const url = cycle(cached);
          return () => {
            const p = url();
            return { path: p, headers: { "if-none-match": etags.get(p)! } };
          };
        })(),
      ),
    ];
    await stopServerProcess(child);
    child = undefined;

    // Alternating the two modes spreads the other load on a shared machine over both.
    const single: Row[] = [];
    const pooled: Row[] = [];
    for (let round = 0; round < rounds; round++) {
      single.push(await measureUncached("uncached, 1 thread", 0, options));
      pooled.push(await measureUncached(`uncached, pool of ${poolThreads}`, undefined, options));
    }

    console.log(`\nresults (${loadNote()} at end; 304s are expected non-2xx in row 2)`);
    printRows([...cachedRows, ...single, ...pooled]);
    const singleRate = median(single.map((row) => row.result.requests.average));
    const poolRate = median(pooled.map((row) => row.result.requests.average));
    const of = rounds > 1 ? ` (medians of ${rounds} rounds)` : "";
    console.log(
      `\nuncached renders/s${of}: 1 thread ${singleRate.toFixed(0)}, pool of ${poolThreads} ${poolRate.toFixed(0)}: ` +
        `${(poolRate / singleRate).toFixed(2)}x on ${cores} cores`,
    );
    const failed = [...cachedRows, ...single, ...pooled].filter(
      (row) =>
        row.result.errors + row.result.timeouts > 0 || (row.name !== "304 revalidation" && row.result.non2xx > 0),
    );
    if (failed.length > 0) {
      console.error(`requests failed in: ${failed.map((row) => row.name).join(", ")}`);
      process.exitCode = 1;
    }
  } finally {
    if (child) await stopServerProcess(child);
    await rm(cacheDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(`bench:http failed: ${error instanceof Error ? error.stack : String(error)}`);
  process.exit(1);
});
