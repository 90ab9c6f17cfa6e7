/**
 * `npm run bench:threads`: deep tiles with their loop on a pool of worker threads, as the tile
 * function runs them when its memory buys more than one vCPU (functions/lib/deep-threads.ts).
 *
 *   npm run bench:threads -- [runs=3] [--threads=N (default: every core)] [name filter]
 *
 * Per tile (the public locations and the worst case, the period-3 bulb's boundary at z44): the
 * reference computed once, then `runs` times the tile in this thread and on the pool, alternating;
 * medians of wall time, the speedup, and a check that both give the same counts. On a machine
 * shared with other work the speedup is lower than the pool's size. Table of record:
 * packages/deep/README.md, "Threads".
 */
import { availableParallelism } from "node:os";
import { DEEP_THREAD_SOURCE } from "../functions/lib/build/deep-thread-source.js";
import { createDeepThreadPool } from "../functions/lib/deep-threads";
import { anchorOf, computeReference, renderDeepTile, renderDeepTileWith } from "../packages/deep/index";
import { DEEP_LOCATIONS } from "../packages/deep/locations";
import { iterationBudget } from "../packages/tile/budget";
import { periodThreeBoundaryTile } from "./deep/cases";

const args = process.argv.slice(2);
const runs = Number(args.find((a) => /^\d+$/.test(a)) ?? 3);
const threads = Number(args.find((a) => a.startsWith("--threads="))?.slice(10) ?? availableParallelism());
const filter = args.find((a) => !/^\d+$/.test(a) && !a.startsWith("--"));

const CASES = [
  ...DEEP_LOCATIONS.map((l) => ({
    name: l.name,
    tile: { ...l.tile, scale: 1 as const, maxIter: iterationBudget(l.tile.z, 1) },
  })),
  { name: "period-3 bulb boundary (worst case)", tile: periodThreeBoundaryTile(44) },
].filter((c) => !filter || c.name.includes(filter));

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const pool = createDeepThreadPool(threads, DEEP_THREAD_SOURCE);

console.log(
  `deep tiles 256×256 px, ${threads} threads, median of ${runs} runs, ${new Date().toISOString().slice(0, 10)}`,
);
console.log("| tile | z | budget | ms, one thread | ms, pool | × |");
console.log("|---|---:|---:|---:|---:|---:|");
for (const { name, tile } of CASES) {
  const ref = computeReference(anchorOf(tile), tile.maxIter);
  await renderDeepTileWith(pool.counter, tile, ref); // threads started and their wasm tiered up
  const alone: number[] = [];
  const pooled: number[] = [];
  for (let run = 0; run < runs; run++) {
    const a = renderDeepTile(tile, ref);
    const b = await renderDeepTileWith(pool.counter, tile, ref);
    if (a.counts.some((c, i) => c !== b.counts[i])) throw new Error(`${name}: counts differ on the pool`);
    alone.push(a.stats.totalMs);
    pooled.push(b.stats.totalMs);
  }
  const [one, many] = [median(alone), median(pooled)];
  console.log(
    `| ${name} | ${tile.z} | ${tile.maxIter} | ${one.toFixed(0)} | ${many.toFixed(0)} | ${(one / many).toFixed(2)}× |`,
  );
}
await pool.close();
