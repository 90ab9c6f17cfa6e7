/**
 * Whether BLA pays for an anchor's reference orbit, decided once per anchor with the orbit
 * (README "BLA where it pays"). Where pixels hover near the single-step radius (chaotic tiles beside
 * minibrots, the outside of a component's boundary), BLA's jumps are short and cost more than the
 * steps they skip, and its counts are the less truthful. A sample of the anchor, run with and without
 * BLA, counts the work of each; BLA stays on only where it is cheaper. Counts of steps, not times,
 * so the decision is the same on every machine; every tile and view under the anchor shares it, as
 * it shares the orbit, so there are no new seams.
 */
import { ANCHOR_LEVELS, type PixelGrid } from "./geometry";
import { offsetUnitBits, type ReferenceOrbit } from "./reference";
import { deepWasmAvailable, perturbGridWasm } from "./wasm";

/** Sample pixels per side of the anchor (GRID² pixels, spread evenly over its 16 × 16 tiles). */
const GRID = 16;

/**
 * What one BLA jump costs, in perturbation steps of the pair loop: measured on the seahorse p998
 * tile, 5.9 (mostly the branching around the jumps: README "Two pixels per step", "Tried and
 * dropped"); 3.6 on the period-3 boundary tile at z44, and more on tiles whose few jumps are long;
 * about 9 on the seahorse once the pair loop without BLA made plain steps cheaper, which changes no
 * location's decision (README "BLA where it pays"). Part of the render version's fingerprint.
 */
export const BLA_JUMP_COST_IN_STEPS = 6;

/** The anchor's sample: the middle of each of GRID × GRID equal cells, in the orbit's offset unit. */
export function blaChoiceGrid(ref: Pick<ReferenceOrbit, "anchor">): PixelGrid {
  const side = 2 ** (ANCHOR_LEVELS + 10); // the anchor's side in offset units
  const spacing = side / GRID;
  const half = ((GRID - 1) / 2) * spacing;
  return { width: GRID, height: GRID, c0re: -half, c0im: half, step: spacing, exponent: -offsetUnitBits(ref.anchor) };
}

/**
 * True when the sample's loop work with BLA (steps + jumps × their cost) is less than without. False
 * without WebAssembly: the TypeScript engine has no BLA.
 */
export function blaPays(ref: ReferenceOrbit): boolean {
  if (!deepWasmAvailable()) return false;
  const grid = blaChoiceGrid(ref);
  const withBla = perturbGridWasm(ref, grid, ref.maxIter, { bla: true });
  const without = perturbGridWasm(ref, grid, ref.maxIter, { bla: false });
  return withBla.steps + BLA_JUMP_COST_IN_STEPS * withBla.blaSteps < without.steps;
}
