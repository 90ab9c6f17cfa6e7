/**
 * The deep loop's cost estimate (packages/deep/render.ts estimateOpenSteps) against the steps the
 * loop then runs, per tile: the table in packages/deep/README.md, "Slow tiles: rendered off the
 * request path". `npx tsx scripts/measure-loop-estimate.ts` (single-threaded; the ns per step is
 * this machine's and noisy when shared).
 */
import { DEEP_LOCATIONS, renderDeepTile, type DeepTileInput } from "../packages/deep/index";
import { iterationBudget } from "../packages/tile/budget";
import { periodThreeBoundaryTile } from "./deep/cases";

function row(name: string, input: DeepTileInput): void {
  const { stats } = renderDeepTile(input);
  const ran = stats.perturbationSteps + stats.blaSteps;
  console.log(
    [
      name.padEnd(34),
      `z${input.z}${input.scale === 2 ? "@2x" : ""}`,
      `budget ${input.maxIter}`,
      `estimate ${stats.estimatedLoopSteps.toExponential(3)}`,
      `ran ${ran.toExponential(3)}`,
      `estimate/ran ${(stats.estimatedLoopSteps / ran).toFixed(3)}`,
      `counted ${stats.iterationsCounted.toExponential(3)}`,
      `proven ${((100 * stats.pixelsProven) / stats.pixels).toFixed(1)}%`,
      `loop ${(stats.pixelsMs / 1000).toFixed(2)} s`,
      `${((stats.pixelsMs * 1e6) / ran).toFixed(2)} ns/step`,
    ].join("  "),
  );
}

const only = process.argv[2];
const cases: [string, DeepTileInput][] = [];
for (const loc of DEEP_LOCATIONS) {
  const t = loc.tile;
  cases.push([loc.name, { ...t, scale: 1, maxIter: iterationBudget(t.z, 1) }]);
}
for (const z of [36, 44]) {
  const b = periodThreeBoundaryTile(z);
  cases.push([`period-3 boundary`, b]);
  cases.push([`period-3 boundary`, { ...b, scale: 2, x: b.x, y: b.y, maxIter: iterationBudget(z, 2) }]);
}
for (const [name, input] of cases) if (!only || name.includes(only)) row(name, input);
