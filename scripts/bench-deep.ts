/**
 * `npm run bench:deep`: deep tiles on the public test locations (packages/deep/locations.ts).
 *
 *   npm run bench:deep -- [runs=3] [name filter] [--scale=2] [--no-shortcut] [--no-pairs] [--bla-always]
 *
 * "BLA" is BLA where the anchor's reference says it pays (its "BLA used" column; bla-choice.ts); with
 * --bla-always, BLA everywhere, as before that choice.
 *
 * Per location, `runs` times: a fresh reference orbit (ms), then the tile with BLA (ms building
 * the BLA table, ms for the pixels: perturbation loop plus smooth values) and, in the same run
 * with the same reference, the tile without BLA (per-pixel perturbation, the baseline). Prints
 * medians, the iterations per pixel counted (Σ counts / pixels) and actually run (perturbation
 * steps + BLA steps), the BLA speedup on the pixels and the step ratio (the speedup if BLA's jumps cost
 * nothing: steps without BLA ÷ the perturbation steps BLA leaves; "Why BLA gains little on the seahorse
 * tile, measured" in the README), and the CPU time of the whole renderDeepTile
 * call with and without BLA (process user time: on a shared machine steadier than wall time). Both renders must give the same
 * interior/exterior split within 1 % (they are different approximations of the same tile).
 * Results table of record: packages/deep/README.md, "Bench".
 */
import { DEEP_LOCATIONS } from "../packages/deep/locations";
import { anchorOf, computeReference, renderDeepTile, type DeepResult } from "../packages/deep/index";
import { iterationBudget } from "../packages/tile/budget";

const args = process.argv.slice(2);
const runs = Number(args.find((a) => /^\d+$/.test(a)) ?? 3);
const scale = args.includes("--scale=2") ? 2 : 1;
const filter = args.find((a) => !/^\d+$/.test(a) && !a.startsWith("--"));
const noShortcut = args.includes("--no-shortcut"); // interiorShortcut off: the cost of iterating interior tiles
const noPairs = args.includes("--no-pairs"); // one pixel at a time: what two pixels per f64x2 step gain
const blaAlways = args.includes("--bla-always"); // BLA also under anchors where it does not pay
const opts = {
  ...(noShortcut ? { interiorShortcut: false } : {}),
  ...(noPairs ? { pairs: false } : {}),
  ...(blaAlways ? { bla: "always" as const } : {}),
};

/** The tile of the grid containing a float64 point (exact for these short decimals at z40). */
const tileAt = (re: number, im: number, z: number) => ({
  z,
  x: BigInt(Math.floor(((re + 2.5) * 2 ** z) / 4)),
  y: BigInt(Math.floor(((2 - im) * 2 ** z) / 4)),
});
/**
 * All-interior tiles, the most work per pixel if iterated: one inside the main cardioid (the
 * interior shortcut answers it) and one inside the period-3 bulb (interior proofs answer it).
 * README "Interior tiles: BLA at shallow depth, wasm tier-up, the cardioid shortcut" and "Interior
 * proofs and the bound on work"; `npm run bench:interior` for the iterated baseline.
 */
const INTERIOR_CASES = [
  { name: "main cardioid interior at z40", tile: tileAt(-0.2, 0.1, 40) },
  { name: "period-3 bulb interior at z40", tile: tileAt(-0.1225611668766536, 0.7448617666197442, 40) },
];
const locations = [...DEEP_LOCATIONS, ...INTERIOR_CASES].filter((l) => !filter || l.name.includes(filter));

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const interior = (r: DeepResult, maxIter: number) => r.counts.reduce((n, c) => n + (c >= maxIter ? 1 : 0), 0);

interface Row {
  name: string;
  z: number;
  maxIter: number;
  engine: string;
  blaUsed: boolean;
  referenceMs: number;
  blaMs: number;
  pixelsMs: number;
  plainPixelsMs: number;
  cpuMs: number;
  plainCpuMs: number;
  counted: number;
  run: number;
  blaSteps: number;
  plainRun: number;
  interiorShare: number;
  interiorDiff: number;
}

const rows: Row[] = [];
for (const location of locations) {
  const { z, x, y } = location.tile;
  const maxIter = iterationBudget(z, scale);
  const input = { z, x, y, scale, maxIter } as const;
  const samples: {
    referenceMs: number;
    blaMs: number;
    pixelsMs: number;
    plainPixelsMs: number;
    cpuMs: number;
    plainCpuMs: number;
  }[] = [];
  let last: { bla: DeepResult; plain: DeepResult; blaUsed: boolean } | undefined;
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    const ref = computeReference(anchorOf(input), maxIter);
    const referenceMs = performance.now() - started;
    const cpu0 = process.cpuUsage().user;
    const bla = renderDeepTile(input, ref, opts);
    const cpu1 = process.cpuUsage().user;
    const plain = renderDeepTile(input, ref, { ...opts, bla: false });
    const cpu2 = process.cpuUsage().user;
    samples.push({
      referenceMs,
      blaMs: bla.stats.blaMs,
      pixelsMs: bla.stats.pixelsMs + bla.stats.smoothMs,
      plainPixelsMs: plain.stats.pixelsMs + plain.stats.smoothMs,
      cpuMs: (cpu1 - cpu0) / 1000,
      plainCpuMs: (cpu2 - cpu1) / 1000,
    });
    last = { bla, plain, blaUsed: blaAlways || ref.blaPays };
  }
  const { bla, plain, blaUsed } = last!;
  const pixels = bla.stats.pixels;
  const inBla = interior(bla, maxIter);
  const inPlain = interior(plain, maxIter);
  const row: Row = {
    name: location.name,
    z,
    maxIter,
    engine: bla.stats.engine,
    blaUsed,
    referenceMs: median(samples.map((s) => s.referenceMs)),
    blaMs: median(samples.map((s) => s.blaMs)),
    pixelsMs: median(samples.map((s) => s.pixelsMs)),
    plainPixelsMs: median(samples.map((s) => s.plainPixelsMs)),
    cpuMs: median(samples.map((s) => s.cpuMs)),
    plainCpuMs: median(samples.map((s) => s.plainCpuMs)),
    counted: bla.stats.iterationsCounted / pixels,
    run: (bla.stats.perturbationSteps + bla.stats.blaSteps) / pixels,
    blaSteps: bla.stats.blaSteps / pixels,
    plainRun: (plain.stats.perturbationSteps + plain.stats.blaSteps) / pixels,
    interiorShare: inBla / pixels,
    interiorDiff: Math.abs(inBla - inPlain) / pixels,
  };
  rows.push(row);
  console.error(`${row.name}: done (${runs} runs)`);
}

const f0 = (v: number) => v.toFixed(0);
/**
 * Steps without BLA ÷ perturbation steps with it: BLA's speedup if its jumps cost nothing and every
 * step cost the same (with BLA, the steps left are often cheaper plain ones: then it is exceeded).
 */
const stepRatio = (r: Row) => (r.run - r.blaSteps > 0 ? `${(r.plainRun / (r.run - r.blaSteps)).toFixed(1)}×` : "–");
const f1 = (v: number) => v.toFixed(1);
console.log(
  `deep tiles ${256 * scale}×${256 * scale} px, median of ${runs} runs, ${new Date().toISOString().slice(0, 10)}`,
);
console.log(
  "| location | z | budget | engine | BLA used | reference ms | BLA table ms | pixels ms (BLA) | pixels ms (no BLA) | " +
    "BLA speedup | step ratio | tile CPU ms (BLA) | tile CPU ms (no BLA) | it/px counted | steps/px run (of which BLA) | steps/px no BLA | interior % |",
);
console.log("|---|---:|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
for (const r of rows) {
  console.log(
    `| ${r.name} | ${r.z} | ${r.maxIter} | ${r.engine} | ${r.blaUsed ? "yes" : "no"} | ${f0(r.referenceMs)} | ${f0(r.blaMs)} | ${f0(r.pixelsMs)} | ${f0(r.plainPixelsMs)} | ` +
      `${r.pixelsMs > 0.5 ? `${(r.plainPixelsMs / r.pixelsMs).toFixed(1)}×` : "–"} | ${stepRatio(r)} | ${f0(r.cpuMs)} | ${f0(r.plainCpuMs)} | ${f0(r.counted)} | ${f0(r.run)} (${f0(r.blaSteps)}) | ${f0(r.plainRun)} | ` +
      `${f1(100 * r.interiorShare)}${r.interiorDiff > 0.01 ? ` (no BLA differs by ${f1(100 * r.interiorDiff)} %)` : ""} |`,
  );
}
