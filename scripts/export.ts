/**
 * `npm run export -- --re -0.75 --im 0.1 --zoom 3 --width 8192 --height 8192 [--palette P] [--out FILE]`
 *
 * One poster from the shell, with a progress bar: the same job code as `POST /exports` (validation,
 * parts, streamed assembly), an in-process queue and the render pool on every core. Jobs live in
 * EXPORT_DIR (default .cache/exports), or in S3 when TILE_BUCKET is set. `--json` prints one line of
 * timing and peak memory instead of the bar (npm run bench:export reads it).
 */
import { copyFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { Presets, SingleBar } from "cli-progress";
import { createExportJobs } from "../functions/lib/export-jobs";
import { exportObjectsFromEnv } from "../functions/lib/export-env";
import { FsExportObjects } from "../functions/lib/export-objects";
import { jobKeys } from "../packages/export/index";
import { ValidationError } from "../packages/render/index";
import { createLocalExportQueue } from "./local/export-queue";
import { createRenderPool } from "./local/render-pool";

const USAGE =
  "usage: npm run export -- --re DECIMAL --im DECIMAL --zoom Z --width W --height H [--palette P] [--out FILE] [--json]";

function readArgs() {
  return parseArgs({
    options: {
      re: { type: "string" },
      im: { type: "string" },
      zoom: { type: "string" },
      width: { type: "string" },
      height: { type: "string" },
      palette: { type: "string" },
      out: { type: "string" },
      json: { type: "boolean", default: false },
    },
  }).values;
}

async function main(): Promise<void> {
  let values: ReturnType<typeof readArgs>;
  try {
    values = readArgs();
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  const body = {
    re: values.re ?? "-0.5",
    im: values.im ?? "0",
    zoom: values.zoom ?? 0,
    width: Number(values.width ?? 4096),
    height: Number(values.height ?? 4096),
    ...(values.palette ? { palette: values.palette } : {}),
  };

  const started = performance.now();
  const pool = createRenderPool();
  const queue = createLocalExportQueue({ concurrency: pool.threads * 2 });
  const objects = exportObjectsFromEnv();
  const jobs = createExportJobs({ objects, enqueue: queue.enqueue, renderIndices: pool.renderViewIndices });
  queue.consumeWith(jobs);
  try {
    await pool.ready();
    let job: Awaited<ReturnType<typeof jobs.submit>>;
    try {
      job = await jobs.submit(body);
    } catch (error) {
      if (error instanceof ValidationError) {
        console.error(`invalid export: ${error.message}\n${USAGE}`);
        process.exitCode = 2;
        return;
      }
      throw error;
    }
    const bar = values.json
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
    if (status.status !== "done") {
      console.error(`export failed: ${status.error ?? status.status}`);
      process.exitCode = 1;
      return;
    }
    const ms = performance.now() - started;
    const maxRssMb = process.resourceUsage().maxRSS / 1024;
    let where = status.url;
    if (objects instanceof FsExportObjects) {
      where = objects.pathOf(jobKeys(job.id).result("png"));
      if (values.out) {
        await copyFile(where, values.out);
        where = path.resolve(values.out);
      }
    }
    if (values.json)
      console.log(
        JSON.stringify({
          width: body.width,
          height: body.height,
          parts: job.parts,
          ms: Math.round(ms),
          maxRssMb: Math.round(maxRssMb),
        }),
      );
    else
      console.log(
        `${body.width}×${body.height} in ${job.parts} parts, ${(ms / 1000).toFixed(1)} s, peak RSS ${Math.round(maxRssMb)} MB: ${where}`,
      );
  } finally {
    await pool.close();
  }
}

await main();
