/**
 * What a deep tile refused for the request path costs before its loop, on the request path and on
 * the export worker, now that the refusal stores the reference orbit it computed
 * (functions/lib/tile-renderer.ts): the table in packages/deep/README.md, "Slow tiles: rendered
 * off the request path".
 *
 *   npx tsx scripts/measure-refused-tile.ts [runs=3] [--full] [name filter]
 *
 * Per tile, medians of `runs`, one thread:
 * - orbit: computing the reference orbit (what the worker paid again before the orbit was stored);
 * - read + check: the worker's store read and isReferenceOf on a local FsTileStore (what it pays now);
 * - refused, no orbit / refused, orbit given: the render core up to its refusal (maxLoopSteps 1),
 *   that is orbit (or decoding it) + plan: the second is the plan the worker runs again.
 * --full: also the worker's whole render of each tile through the caching renderer and a fresh
 * FsTileStore, after a refused request (orbit stored) and without one (orbit computed); slow.
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { FsTileStore } from "../functions/lib/fs-tile-store";
import { createReferenceCachingRenderer } from "../functions/lib/tile-renderer";
import { anchorOf, computeReference } from "../packages/deep/index";
import { DEEP_LOCATIONS } from "../packages/deep/locations";
import {
  LoopTooCostlyError,
  RENDER_VERSION,
  isReferenceOf,
  referenceKey,
  renderTileWithReference,
  tileIterationBudget,
  warmUp,
  type TileSpec,
} from "../packages/render/index";
import { periodThreeBoundaryTile } from "./deep/cases";

const args = process.argv.slice(2);
const runs = Number(args.find((a) => /^\d+$/.test(a)) ?? 3);
const full = args.includes("--full");
const filter = args.find((a) => !/^\d+$/.test(a) && !a.startsWith("--"));

/** The @2x tile over a 1x tile's area one zoom deeper: the costliest tiles the worker gets are @2x. */
const at2x = (name: string, t: { z: number; x: bigint; y: bigint }) => ({
  name: `${name} @2x`,
  spec: { z: t.z, x: t.x, y: t.y, scale: 2, palette: "classic" } satisfies TileSpec,
});
const location = (name: string) => DEEP_LOCATIONS.find((l) => l.name === name)!.tile;
const CASES = [
  at2x("period-3 boundary", periodThreeBoundaryTile(44)),
  at2x("minibrot beside C = i", location("minibrot beside C = i at z1000")),
  at2x("minibrot beside C = i", location("minibrot beside C = i at z2000")),
].filter((c) => !filter || c.name.includes(filter) || `z${c.spec.z}` === filter);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const REFUSE = { maxLoopSteps: 1 };

async function timed(run: () => unknown): Promise<number> {
  const started = performance.now();
  try {
    await run();
  } catch (error) {
    if (!(error instanceof LoopTooCostlyError)) throw error;
  }
  return performance.now() - started;
}

/** The orbit a refusal hands back (what the request path now stores). */
function refusedOrbit(spec: TileSpec): Uint8Array {
  try {
    renderTileWithReference(spec, undefined, REFUSE);
  } catch (error) {
    if (error instanceof LoopTooCostlyError && error.newReference) return error.newReference;
    throw error;
  }
  throw new Error("the tile was not refused");
}

/** The worker's whole render in a fresh store, after a refused request there (orbit stored) or not. */
async function workerMs(spec: TileSpec, afterRefusal: boolean): Promise<number> {
  const root = await mkdtemp(path.join(os.tmpdir(), "fractile-refused-"));
  try {
    const store = new FsTileStore(root);
    const renderer = () => createReferenceCachingRenderer({ store, renderVersion: RENDER_VERSION });
    if (afterRefusal) await timed(() => renderer()(spec, REFUSE));
    return await timed(() => renderer()(spec));
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

warmUp();
const root = await mkdtemp(path.join(os.tmpdir(), "fractile-refused-"));
const store = new FsTileStore(root);
console.log(`one thread, median of ${runs} runs, ${new Date().toISOString().slice(0, 16)} UTC`);
console.log(
  `| tile | z | budget | orbit KB | orbit ms | read + check ms | refused, no orbit ms | refused, orbit given ms |${full ? " worker, orbit stored s | worker, orbit computed s |" : ""}`,
);
console.log(`|---|---:|---:|---:|---:|---:|---:|---:|${full ? "---:|---:|" : ""}`);
for (const { name, spec } of CASES) {
  const budget = tileIterationBudget(spec);
  const key = referenceKey(spec, RENDER_VERSION)!;
  const bytes = refusedOrbit(spec);
  await store.put(key, bytes);
  const orbitMs: number[] = [];
  const readMs: number[] = [];
  const noOrbitMs: number[] = [];
  const givenMs: number[] = [];
  const storedS: number[] = [];
  const computedS: number[] = [];
  for (let run = 0; run < runs; run++) {
    orbitMs.push(await timed(() => computeReference(anchorOf(spec), budget)));
    readMs.push(await timed(async () => isReferenceOf(spec, (await store.get(key))!)));
    noOrbitMs.push(await timed(() => renderTileWithReference(spec, undefined, REFUSE)));
    givenMs.push(await timed(() => renderTileWithReference(spec, bytes, REFUSE)));
    if (full) {
      storedS.push((await workerMs(spec, true)) / 1000);
      computedS.push((await workerMs(spec, false)) / 1000);
    }
  }
  const cells = [
    name,
    `z${spec.z}`,
    budget,
    (bytes.byteLength / 1024).toFixed(0),
    median(orbitMs).toFixed(0),
    median(readMs).toFixed(1),
    median(noOrbitMs).toFixed(0),
    median(givenMs).toFixed(0),
    ...(full ? [median(storedS).toFixed(2), median(computedS).toFixed(2)] : []),
  ];
  console.log(`| ${cells.join(" | ")} |`);
}
await rm(root, { recursive: true, force: true });
