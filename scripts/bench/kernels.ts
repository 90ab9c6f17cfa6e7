// Kernel section of `npm run bench`: renders the shared workload single-threaded with every
// kernel in the same run, checks every checksum, and prints per-tile medians, totals,
// iterations per second and the speedup of each kernel over the naive reference.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { getKernel, KERNELS, warmUpKernel } from "../../packages/kernel/index";
import type { Kernel, KernelName } from "../../packages/kernel/index";
import { checksums, workloadInput } from "../../packages/kernel/workload";
import type { Workload, WorkloadTile } from "../../packages/kernel/workload";

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** The kernel workload fixture; where its checksums come from: packages/kernel/README.md. */
export const WORKLOAD_PATH = join(repoRoot, "packages", "kernel", "workload.json");

export function loadWorkload(path = WORKLOAD_PATH): Workload {
  return JSON.parse(readFileSync(path, "utf8")) as Workload;
}

/** Timed runs per tile (the median is reported): fewer for the slow naive reference. */
const RUNS: Record<KernelName, number> = { wasm: 7, scalar: 5, reference: 3 };

interface KernelTiming {
  kernel: KernelName;
  runs: number;
  medianMs: number[]; // per tile
  bestMs: number[]; // per tile: the fastest run, least disturbed by other processes
  totalMs: number; // sum of the medians
  bestTotalMs: number;
  wrong: string[]; // tiles whose checksums did not match
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function checkTile(tile: WorkloadTile, counts: Uint32Array): string | undefined {
  const got = checksums(counts);
  if (got.sum === tile.sum && got.hash31 === tile.hash31) return undefined;
  return `${tile.name.trim()}: sum ${got.sum} (want ${tile.sum}), hash31 ${got.hash31} (want ${tile.hash31})`;
}

/**
 * Times every kernel on every tile. Runs are interleaved (tile by tile, kernel by kernel)
 * so that load from other processes on a shared machine hits all kernels alike.
 */
function timeKernels(kernels: Kernel[], workload: Workload, progress: (line: string) => void): KernelTiming[] {
  const timings: KernelTiming[] = kernels.map((k) => ({
    kernel: k.name,
    runs: RUNS[k.name],
    medianMs: [],
    bestMs: [],
    totalMs: 0,
    bestTotalMs: 0,
    wrong: [],
  }));
  for (const kernel of kernels) warmUpKernel(kernel);
  const maxRuns = Math.max(...timings.map((t) => t.runs));
  workload.tiles.forEach((tile, tileIndex) => {
    const input = workloadInput(tile);
    const times: number[][] = kernels.map(() => []);
    for (let run = 1; run <= maxRuns; run++) {
      kernels.forEach((kernel, k) => {
        if (run > timings[k].runs) return;
        progress(
          `tile ${tileIndex + 1}/${workload.tiles.length} ${tile.name.trim()}: ${kernel.name} run ${run}/${timings[k].runs}`,
        );
        const start = performance.now();
        const result = kernel.render(input);
        times[k].push(performance.now() - start);
        const problem = checkTile(tile, result.counts);
        if (problem && !timings[k].wrong.includes(problem)) timings[k].wrong.push(problem);
      });
    }
    timings.forEach((t, k) => {
      t.medianMs.push(median(times[k]));
      t.bestMs.push(Math.min(...times[k]));
    });
  });
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
  for (const t of timings) {
    t.totalMs = sum(t.medianMs);
    t.bestTotalMs = sum(t.bestMs);
  }
  return timings;
}

function formatTable(workload: Workload, timings: KernelTiming[]): string {
  const reference = timings.find((t) => t.kernel === "reference");
  const header = [
    "tile",
    "naive Miter",
    ...timings.map((t) => `${t.kernel} ms`),
    ...timings.map((t) => `${t.kernel} ×ref`),
  ];
  const rows: string[][] = [header];
  const speedup = (_t: KernelTiming, ms: number, refMs: number | undefined) =>
    refMs ? `${(refMs / ms).toFixed(2)}×` : "-";
  workload.tiles.forEach((tile, i) => {
    rows.push([
      tile.name,
      (tile.sum / 1e6).toFixed(2),
      ...timings.map((t) => t.medianMs[i].toFixed(1)),
      ...timings.map((t) => speedup(t, t.medianMs[i], reference?.medianMs[i])),
    ]);
  });
  rows.push([
    "total (medians)",
    (workload.total_iterations / 1e6).toFixed(2),
    ...timings.map((t) => t.totalMs.toFixed(1)),
    ...timings.map((t) => speedup(t, t.totalMs, reference?.totalMs)),
  ]);
  rows.push([
    "total, best runs",
    "",
    ...timings.map((t) => t.bestTotalMs.toFixed(1)),
    ...timings.map((t) => speedup(t, t.bestTotalMs, reference?.bestTotalMs)),
  ]);
  rows.push([
    "G iter/s (naive, medians)",
    "",
    ...timings.map((t) => (workload.total_iterations / t.totalMs / 1e6).toFixed(3)),
    ...timings.map(() => ""),
  ]);
  const widths = header.map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows
    .map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join("  "))
    .join("\n");
}

/** Runs the kernel benchmark; returns false when any checksum was wrong. */
export function runKernelBench(
  log: (text: string) => void = console.log,
  progress: (line: string) => void = () => {},
  workload: Workload = loadWorkload(),
): boolean {
  const timings = timeKernels(
    KERNELS.map((name) => getKernel(name)),
    workload,
    progress,
  );
  log(
    `Kernels: ${workload.tiles.length} tiles of the shared workload, single-threaded, median of ${timings.map((t) => `${t.runs} (${t.kernel})`).join(", ")} runs per tile.`,
  );
  log(formatTable(workload, timings));
  const failures = timings.flatMap((t) => t.wrong.map((w) => `${t.kernel}: ${w}`));
  log(
    failures.length === 0 ? "Checksums: all exact for every kernel." : `CHECKSUM MISMATCH:\n  ${failures.join("\n  ")}`,
  );
  return failures.length === 0;
}
