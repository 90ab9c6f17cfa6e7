/**
 * `npm run export -- --re -0.75 --im 0.1 --zoom 3 --width 8192 --height 8192 [--format png|jpg|webp] [--palette P] [--out FILE]`
 * `npm run export -- --kind zoom --re … --im … --from-zoom 0 --to-zoom 40 --frames 120 --width 640 --height 360 [--format png|jpg|webp] --out zoom.zip`
 *
 * One poster or zoom sequence from the shell, with a progress bar: the same job code as
 * `POST /exports` (validation, parts, streamed assembly), an in-process queue and the render pool
 * on every core. Jobs live in EXPORT_DIR (default .cache/exports), or in S3 when TILE_BUCKET is
 * set. Posters on the tile grid are filled from the tile cache (TILE_CACHE_DIR, default
 * .cache/tiles, or the bucket) and warm it (docs/exports.md, "Reusing cached tiles");
 * `--render-only` renders every part instead. Flags and defaults: scripts/export-args.ts. `--json`
 * prints one line of timing, peak memory and tile counts instead of the bar (npm run bench:export
 * reads it).
 */
import { createWriteStream } from "node:fs";
import { copyFile, stat } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { fileURLToPath } from "node:url";
import { Presets, SingleBar } from "cli-progress";
import { createExportJobs } from "../functions/lib/export-jobs";
import { encodeWebpPicture } from "../functions/lib/export-webp";
import { exportObjectsFromEnv } from "../functions/lib/export-env";
import { createPosterTiles, type PosterTileCounts } from "../functions/lib/export-tiles";
import { storeFromEnv } from "../functions/lib/store-from-env";
import { createReferenceCachingRenderer } from "../functions/lib/tile-renderer";
import type { ExportSpec } from "../packages/export/index";
import { RENDER_VERSION } from "../packages/render/index";
import { EXPORT_USAGE, parseExportArgs, UsageError, type ExportCommand } from "./export-args";
import { createLocalExportQueue } from "./local/export-queue";
import { createRenderPool } from "./local/render-pool";

async function main(): Promise<void> {
  let command: ExportCommand;
  try {
    // Checked before the render pool starts: a typo costs nothing.
    command = parseExportArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`export: ${error.message}\n${EXPORT_USAGE}`);
    process.exitCode = 2;
    return;
  }
  const { body, spec } = command;

  const started = performance.now();
  const pool = createRenderPool();
  const queue = createLocalExportQueue({ concurrency: pool.threads * 2 });
  const objects = exportObjectsFromEnv();
  const tileStore = storeFromEnv(({ operation, key, error }) =>
    console.error(`tile cache ${operation} ${key} failed: ${(error as Error)?.message ?? error}`),
  );
  const partFromTiles = command.renderOnly
    ? undefined
    : createPosterTiles({
        store: tileStore,
        renderTile: createReferenceCachingRenderer({
          store: tileStore,
          renderVersion: RENDER_VERSION,
          renderWithReference: pool.renderTileWithReference,
        }),
      });
  const jobs = createExportJobs({
    objects,
    enqueue: queue.enqueue,
    renderIndices: pool.renderViewIndices,
    encodeWebp: encodeWebpPicture,
    partFromTiles,
  });
  queue.consumeWith(jobs);
  try {
    await pool.ready();
    const job = await jobs.submit(body);
    const bar = command.json
      ? undefined
      : new SingleBar({ format: "{bar} {percentage}% | {status} | {duration}s" }, Presets.shades_classic);
    bar?.start(100, 0, { status: "queued" });
    const done = queue.idle();
    let finished = false;
    void done.then(() => (finished = true));
    while (!finished) {
      const status = await jobs.status(job.id);
      bar?.update(Math.round((status?.progress ?? 0) * 100), { status: status?.status });
      await Promise.race([done, new Promise((resolve) => setTimeout(resolve, 500))]);
    }
    const status = (await jobs.status(job.id))!;
    bar?.update(Math.round(status.progress * 100), { status: status.status });
    bar?.stop();
    if (status.status !== "done" || !status.url) {
      console.error(`export failed: ${status.error ?? status.status}`);
      process.exitCode = 1;
      return;
    }
    const ms = performance.now() - started;
    const maxRssMb = process.resourceUsage().maxRSS / 1024;
    const where = await deliver(status.url, command.out);
    if (command.json)
      console.log(
        JSON.stringify({
          kind: spec.kind,
          width: spec.width,
          height: spec.height,
          ...(spec.kind === "zoom" ? { frames: spec.frames } : {}),
          format: spec.format,
          parts: job.parts,
          bytes: status.url.startsWith("file:") ? (await stat(fileURLToPath(status.url))).size : undefined,
          ms: Math.round(ms),
          maxRssMb: Math.round(maxRssMb),
          // CPU of every thread of this process (main and render pool), to tell work from waiting.
          cpuMs: Math.round((process.cpuUsage().user + process.cpuUsage().system) / 1000),
          tiles: partFromTiles?.counts,
        }),
      );
    else
      console.log(
        `${describe(spec)} in ${job.parts} parts, ${(ms / 1000).toFixed(1)} s, peak RSS ${Math.round(maxRssMb)} MB${tileSummary(partFromTiles?.counts)}: ${where}`,
      );
  } finally {
    await pool.close();
  }
}

/**
 * The result where the user wants it: the job store's link is a file: URL locally and a presigned
 * https URL on S3; either is copied to `--out`, or named as it is.
 */
async function deliver(url: string, out: string | undefined): Promise<string> {
  const local = url.startsWith("file:") ? fileURLToPath(url) : undefined;
  if (!out) return local ?? url;
  if (local) await copyFile(local, out);
  else {
    const response = await fetch(url);
    if (!response.ok || !response.body) throw new Error(`downloading ${url}: HTTP ${response.status}`);
    // Streamed: a 16384² poster is hundreds of MB.
    await pipeline(Readable.fromWeb(response.body as WebReadableStream), createWriteStream(out));
  }
  return path.resolve(out);
}

function describe(spec: ExportSpec): string {
  const size = `${spec.width}×${spec.height}`;
  return spec.kind === "zoom"
    ? `${spec.frames} ${spec.format} frames of ${size}, zoom ${spec.fromZoom} → ${spec.toZoom}`
    : `${size} ${spec.format}`;
}

function tileSummary(counts: PosterTileCounts | undefined): string {
  if (!counts?.parts) return "";
  return ` (tiles: ${counts.cached + counts.cachedAbove} from the cache, ${counts.rendered} rendered)`;
}

await main();
