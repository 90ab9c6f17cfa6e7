/**
 * `npm run bench:interior`: the tiles that cost the most per pixel, interior and boundary tiles
 * of hyperbolic components, with interior proofs (packages/deep/interior-proof.ts) and without.
 *
 *   npm run bench:interior -- [runs=3] [name filter] [--no-baseline]
 *
 * Per tile: the first render with proofs (reference cached; it finds the reference's own cycle, as
 * the first tile of an anchor in a process does), the median over `runs` of the render with proofs, the share of pixels proven, the BigInt work of the proofs,
 * and one render without proofs (the baseline: iteration of every pixel, up to tens of
 * seconds each; --no-baseline skips it). Both must give the same counts: the script checks.
 * Table of record: packages/deep/README.md, "Interior proofs".
 */
import { type DeepTileInput, anchorOf } from "../packages/deep/geometry";
import { DEEP_LOCATIONS } from "../packages/deep/locations";
import { computeReference, renderDeepTile } from "../packages/deep/index";
import { PERIOD_3, periodThreeBoundaryTile, tileAt } from "./deep/cases";

const args = process.argv.slice(2);
const runs = Number(args.find((a) => /^\d+$/.test(a)) ?? 3);
const filter = args.find((a) => !/^\d+$/.test(a) && !a.startsWith("--"));
const baseline = !args.includes("--no-baseline");

const p3 = PERIOD_3;
const location = (name: string) => DEEP_LOCATIONS.find((l) => l.name === name)!;
const seahorse = location("seahorse p998 minibrot");
const deepMinibrot = location("minibrot beside C = i at z1000");

const CASES: { name: string; tile: DeepTileInput }[] = [
  { name: "period-3 bulb nucleus", tile: tileAt(p3.re, p3.im, 40) },
  { name: "period-3 bulb nucleus", tile: tileAt(p3.re, p3.im, 48) },
  { name: "period-3 bulb nucleus", tile: tileAt(p3.re, p3.im, 64) },
  { name: "period-3 bulb boundary", tile: periodThreeBoundaryTile(40) },
  { name: "period-3 bulb boundary", tile: periodThreeBoundaryTile(44) },
  { name: "period-3 bulb boundary", tile: periodThreeBoundaryTile(56) },
  { name: "seahorse p998 minibrot nucleus", tile: tileAt(seahorse.re, seahorse.im, seahorse.zoom + 6) },
  { name: "p803 minibrot nucleus beside C = i", tile: tileAt(deepMinibrot.re, deepMinibrot.im, deepMinibrot.zoom + 6) },
].filter((c) => !filter || c.name.includes(filter));

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const f0 = (v: number) => v.toFixed(0);

console.log(
  `interior and boundary tiles, 256×256 px, median of ${runs} runs, ${new Date().toISOString().slice(0, 10)}`,
);
console.log(
  "| tile | z | budget | first tile ms | ms with proofs | proof ms | proven % | BigInt steps | ms without proofs | × |",
);
console.log("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
for (const { name, tile } of CASES) {
  const ref = computeReference(anchorOf(tile), tile.maxIter);
  const samples = Array.from({ length: runs }, () => renderDeepTile(tile, ref));
  const proven = samples[samples.length - 1];
  const ms = median(samples.map((s) => s.stats.totalMs));
  let plainMs = Number.NaN;
  if (baseline) {
    const plain = renderDeepTile(tile, ref, { interiorProofs: false, interiorShortcut: false });
    plainMs = plain.stats.totalMs;
    if (plain.counts.some((c, i) => c !== proven.counts[i])) throw new Error(`${name} z${tile.z}: counts differ`);
  }
  const s = proven.stats;
  console.log(
    `| ${name} | ${tile.z} | ${tile.maxIter} | ${f0(samples[0].stats.totalMs)} | ${f0(ms)} | ${f0(median(samples.map((x) => x.stats.proofMs)))} | ` +
      `${((100 * s.pixelsProven) / s.pixels).toFixed(1)} | ${s.proofBigintSteps} | ` +
      `${baseline ? f0(plainMs) : "–"} | ${baseline ? `${(plainMs / ms).toFixed(0)}×` : "–"} |`,
  );
}
