/**
 * `npm run measure:export-memory -- 10000x10000:webp 16384x16384:jpg ...`: the peak RSS of one
 * export job in a process shaped like the Lambda worker (one thread, the render core in-process,
 * parts then assembly), each job in its own child process so its peak is its own. The numbers
 * behind FORMAT_LIMITS (packages/export/limits.ts) are in docs/exports.md ("Formats").
 *
 * The location (3+3i, zoom 6) is outside the set: the run measures parts, storage and encoding,
 * not the kernel. Jobs live in a temporary directory that is removed afterwards.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createExportJobs } from "../functions/lib/export-jobs";
import { FsExportObjects } from "../functions/lib/export-objects";
import { encodeWebpPicture } from "../functions/lib/export-webp";
import type { PartMessage } from "../packages/export/index";
import { renderViewIndices } from "../packages/render/index";

const [mode, ...rest] = process.argv.slice(2);
if (mode === "--one") {
  const [size, format, root] = rest;
  const [width, height] = size.split("x").map(Number);
  const queue: PartMessage[] = [];
  const jobs = createExportJobs({
    objects: new FsExportObjects(root),
    enqueue: async (messages) => void queue.push(...messages),
    renderIndices: renderViewIndices,
    encodeWebp: encodeWebpPicture,
  });
  const started = performance.now();
  const job = await jobs.submit({ re: "3", im: "3", zoom: 6, width, height, format });
  for (const message of queue) await jobs.processPart(message);
  const status = await jobs.status(job.id);
  if (status?.status !== "done") throw new Error(`${size} ${format}: ${status?.error ?? status?.status}`);
  const seconds = (performance.now() - started) / 1000;
  const peak = Math.round(process.resourceUsage().maxRSS / 1024);
  console.log(
    `${format.padEnd(5)} ${size.padEnd(12)} ${((width * height) / 1e6).toFixed(1).padStart(6)} Mpx ${seconds.toFixed(1).padStart(6)} s ${String(peak).padStart(6)} MB peak RSS`,
  );
} else {
  const runs = [mode, ...rest].filter(Boolean);
  if (runs.length === 0) runs.push("4096x4096:png", "16384x16384:jpg", "10000x10000:webp");
  const root = mkdtempSync(path.join(os.tmpdir(), "fractile-export-memory-"));
  try {
    for (const run of runs) {
      const [size, format = "png"] = run.split(":");
      const self = fileURLToPath(import.meta.url);
      execFileSync("npx", ["tsx", self, "--one", size, format, root], { stdio: "inherit" });
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
