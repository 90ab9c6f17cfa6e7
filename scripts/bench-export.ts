/**
 * `npm run bench:export [-- --sizes 4096,8192,16384 --formats png,jpg,webp]`: posters through the
 * local export path (scripts/export.ts: parts on every core, streamed assembly), each in its own
 * process so its peak RSS is its own. The claim under test: peak memory does not grow with the
 * poster's area for png and jpg (streamed); webp holds the picture, so it runs only at sizes its
 * format limits allow (FORMAT_LIMITS) and shows the per-pixel cost those limits rest on.
 *
 * The location (centre 3+3i at zoom 6) lies wholly outside the set, so every pixel escapes within a
 * few iterations: the run measures the export machinery (parts, storage, encoding, assembly), not
 * the kernel, and finishes in minutes on a shared machine. `--re/--im/--zoom` override it.
 *
 * `npm run bench:export -- --reuse [--runs 3] [--sizes 4096]`: a poster on the tile grid
 * (−0.75 + 0.125i at zoom 10, beside the seahorse valley, unless overridden) rendered three ways
 * per run, each in its own process: every part rendered (`--render-only`), from an empty tile
 * cache (tiles rendered and stored), and again from that now warm cache. Medians over the runs;
 * the table of record is in docs/exports.md ("Reusing cached tiles").
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { formatSizeProblem, type ExportFormat } from "../packages/export/index";

const { values } = parseArgs({
  options: {
    re: { type: "string" },
    im: { type: "string" },
    zoom: { type: "string" },
    sizes: { type: "string" },
    formats: { type: "string", default: "png,jpg" },
    reuse: { type: "boolean", default: false },
    runs: { type: "string", default: "3" },
  },
});
const reuse = values.reuse!;
const re = values.re ?? (reuse ? "-0.75" : "3");
const im = values.im ?? (reuse ? "0.125" : "3");
const zoom = values.zoom ?? (reuse ? "10" : "6");
const sizes = (values.sizes ?? (reuse ? "4096" : "4096,8192,16384")).split(",").map(Number);
const cli = fileURLToPath(new URL("./export.ts", import.meta.url));

interface Run {
  width: number;
  parts: number;
  bytes?: number;
  ms: number;
  maxRssMb: number;
  cpuMs: number;
  tiles?: { parts: number; cached: number; cachedAbove: number; rendered: number };
}

function runOne(
  side: number,
  format: ExportFormat,
  extraArgs: string[] = [],
  env: NodeJS.ProcessEnv = process.env,
): Promise<Run> {
  // --re=VALUE keeps a negative value attached to its flag.
  const args = ["tsx", cli, `--re=${re}`, `--im=${im}`, `--zoom=${zoom}`];
  args.push("--width", String(side), "--height", String(side), "--format", format, "--json", ...extraArgs);
  return new Promise((resolve, reject) => {
    execFile("npx", args, { maxBuffer: 1 << 20, env }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`${side}² ${format}: ${error.message}\n${stderr}`));
      resolve(JSON.parse(stdout.trim().split("\n").at(-1)!));
    });
  });
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function benchReuse(side: number, runs: number): Promise<void> {
  console.log(
    `poster ${side}² at ${re}${im.startsWith("-") ? "" : "+"}${im}i, zoom ${zoom}: ${runs} runs of three processes`,
  );
  const modes = ["render-only", "cold cache", "warm cache"] as const;
  const times: Record<(typeof modes)[number], number[]> = { "render-only": [], "cold cache": [], "warm cache": [] };
  const cpu: Record<(typeof modes)[number], number[]> = { "render-only": [], "cold cache": [], "warm cache": [] };
  const last: Partial<Record<(typeof modes)[number], Run>> = {};
  for (let run = 0; run < runs; run++) {
    const cache = await mkdtemp(path.join(os.tmpdir(), "fractile-bench-tiles-"));
    // TILE_BUCKET unset: the disk cache, fresh per run, so "cold" is really empty.
    const env = { ...process.env, TILE_CACHE_DIR: cache, TILE_BUCKET: "" };
    try {
      last["render-only"] = await runOne(side, "png", ["--render-only"], env);
      last["cold cache"] = await runOne(side, "png", [], env);
      last["warm cache"] = await runOne(side, "png", [], env);
      for (const mode of modes) {
        times[mode].push(last[mode]!.ms);
        cpu[mode].push(last[mode]!.cpuMs);
      }
      console.log(`  run ${run + 1}: ${modes.map((m) => `${m} ${(last[m]!.ms / 1000).toFixed(2)} s`).join(", ")}`);
    } finally {
      await rm(cache, { recursive: true, force: true });
    }
  }
  if (last["cold cache"]?.tiles?.parts === 0) console.log("  (the poster is not on the tile grid: nothing reused)");
  console.log("mode          median s  ×render-only  CPU s  tiles cached/rendered  peak RSS MB (last run)");
  const base = median(times["render-only"]);
  for (const mode of modes) {
    const r = last[mode]!;
    const tiles = r.tiles ? `${r.tiles.cached + r.tiles.cachedAbove}/${r.tiles.rendered}` : "-";
    console.log(
      `${mode.padEnd(13)} ${(median(times[mode]) / 1000).toFixed(2).padStart(8)} ${(median(times[mode]) / base).toFixed(2).padStart(13)} ${(median(cpu[mode]) / 1000).toFixed(1).padStart(6)} ${tiles.padStart(22)} ${String(r.maxRssMb).padStart(12)}`,
    );
  }
}

if (reuse) {
  for (const side of sizes) await benchReuse(side, Number(values.runs));
} else {
  console.log(`poster exports at ${re}${im.startsWith("-") ? "" : "+"}${im}i, zoom ${zoom} (one process each)`);
  console.log("format side    Mpx   parts  time s  Mpx/s     MB  peak RSS MB");
  for (const format of values.formats!.split(",") as ExportFormat[]) {
    const rows: Run[] = [];
    for (const side of sizes) {
      if (formatSizeProblem(format, side, side)) {
        console.log(`${format.padEnd(6)} ${String(side).padEnd(6)} (beyond the format's limits)`);
        continue;
      }
      const r = await runOne(side, format);
      rows.push(r);
      const mpx = (side * side) / 1e6;
      const megabytes = r.bytes === undefined ? "?" : (r.bytes / 1e6).toFixed(1);
      console.log(
        `${format.padEnd(6)} ${String(side).padEnd(6)} ${mpx.toFixed(1).padStart(5)} ${String(r.parts).padStart(6)} ${(r.ms / 1000).toFixed(1).padStart(7)} ${(mpx / (r.ms / 1000)).toFixed(1).padStart(6)} ${megabytes.padStart(6)} ${String(r.maxRssMb).padStart(12)}`,
      );
    }
    if (rows.length >= 2) {
      const [small, large] = [rows[0], rows.at(-1)!];
      console.log(
        `${format}: area ×${((large.width / small.width) ** 2).toFixed(1)}, peak RSS ×${(large.maxRssMb / small.maxRssMb).toFixed(2)}`,
      );
    }
  }
}
