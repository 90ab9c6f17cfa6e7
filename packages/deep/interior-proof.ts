/**
 * Interior proofs for rectangles of deep pixels, so that pixels inside any hyperbolic component
 * (bulbs, minibrots at any depth) cost a proof instead of their whole budget of iterations
 * (README "Interior proofs and the bound on work").
 *
 * A quadtree over the grid, visited depth first in a fixed order. For each rectangle, the pixel
 * nearest its middle is probed by the perturbation loop (the caller's `probe`). If it did not
 * escape, its attracting cycle is found in BigInt fixed point (cycle.ts: Newton from the parent
 * rectangle's cycle, the last one found in the grid or the reference point's own; else a full
 * period search) and the interior distance estimate gives a disc about it inside the component
 * (interior-distance.ts). If that
 * disc, shrunk by SAFETY, holds every pixel centre of the rectangle, the rectangle is interior:
 * count = budget for all of its pixels, exactly what iteration gives an interior pixel. Otherwise
 * the rectangle is split in four down to MIN_SIDE pixels; what is left is iterated as before.
 *
 * Deterministic: probes are the loop's own counts, the proofs use BigInt and IEEE +, −, ×, ÷ and
 * Math.log2 on exact data, the order is fixed, and the work is bounded by a count of BigInt
 * iterations (PROOF_SHARE of the grid's iteration at its budget), not by time. Nothing is carried
 * between grids but the reference's own cycle, a function of the reference alone.
 */
import { type AttractingCycle, cycleAtBits, findAttractingCycle, iterateOrbit, newtonCycle } from "./cycle";
import type { PixelGrid } from "./geometry";
import { interiorDisc } from "./interior-distance";
import { referencePoint, type ReferenceOrbit } from "./reference";

/** Rectangles are not split below this side (their pixels are iterated). */
export const MIN_SIDE = 4;
/** The proven disc is b/4 (Koebe); pixels must lie within b/(4·SAFETY) of the proof's centre. */
export const SAFETY = 2;
/**
 * The proofs of one grid may cost at most this share of iterating all its pixels to the budget
 * (in loop steps, by bigintStepCost): the bound on wasted work where proofs fail.
 */
export const PROOF_SHARE = 1 / 16;
/** Fraction bits of the proofs beyond the grid's unit, as for /point (point.ts GUARD_BITS). */
const GUARD_BITS = 48;
/** Newton passes a proof from a neighbour's cycle is expected to take, the disc's pass included. */
const EXPECTED_PASSES = 5;
/** Full period searches (BigInt iteration to the budget) allowed per grid when no known cycle continues. */
const MAX_SEARCHES = 2;
/** Tiles that will share the cost of finding the reference's cycle, at the least (of an anchor's 256). */
const REFERENCE_SHARED_BY = 16;

/**
 * What one BigInt iteration at `bits` costs in perturbation-loop steps: the cost model that
 * decides whether a proof can pay for itself (README "Interior proofs and the bound on work": 0.9 µs per
 * BigInt iteration up to 256 bits, 2.7 µs at 1024, 10 µs at 2100; 3–5 ns per loop step).
 * A formula, not a clock, so that the decisions are the same on every machine.
 */
export function bigintStepCost(bits: number): number {
  const x = bits / 512;
  return 200 * (1 + x * Math.sqrt(x));
}

export interface Rect {
  x0: number;
  y0: number;
  width: number;
  height: number;
}

export interface InteriorProofStats {
  probes: number;
  /** Attracting cycles found (by the full search or from a parent's). */
  cycles: number;
  rectsProven: number;
  pixelsProven: number;
  /** BigInt iterations spent on cycles and discs. */
  bigintSteps: number;
}

export interface InteriorProofs {
  /** Rectangles whose every pixel centre is proven interior. */
  proven: Rect[];
  /** The rest of the grid, in a fixed order: to be iterated. */
  open: Rect[];
  /**
   * Per open rectangle, in `open`'s order, the larger loop steps of its probe (its middle pixel) and
   * its parent's (on its corner): what the loop's cost is estimated from.
   */
  openProbeSteps: number[];
  stats: InteriorProofStats;
}

/** The reference point (exact) the grid's offsets are taken from. */
export interface GridOrigin {
  re: bigint;
  im: bigint;
  fracBits: number;
}

/** BigInt iterations the proofs of a grid of `pixels` at `bits` may spend (PROOF_SHARE). */
export function proofWorkLimit(pixels: number, maxIter: number, bits: number): number {
  return Math.floor((PROOF_SHARE * pixels * maxIter) / bigintStepCost(bits));
}

/** What the perturbation loop said of one pixel: reached the budget?, and the steps it ran. */
export interface Probe {
  interior: boolean;
  steps: number;
}

/**
 * Splits `grid` into proven-interior and open rectangles. `probe(px, py)` runs the grid's pixel
 * (px, py) through the perturbation loop; `referenceCycle()` is the attracting cycle of the grid's
 * reference point, if it has one (the first guess for Newton: a reference that did not escape
 * usually lies in the component the grid's interior pixels belong to).
 */
export function proveInteriorRects(
  origin: GridOrigin,
  grid: PixelGrid,
  maxIter: number,
  probe: (px: number, py: number) => Probe,
  referenceCycle: () => AttractingCycle | null = () => null,
): InteriorProofs {
  const bits = Math.max(origin.fracBits, -grid.exponent) + GUARD_BITS;
  const stepCost = bigintStepCost(bits);
  const work = { spent: 0, limit: proofWorkLimit(grid.width * grid.height, maxIter, bits) };
  // Loop steps a proof costs: from a known cycle of period p, or with a full period search.
  const proofCost = (hint: AttractingCycle | null) => stepCost * (hint ? EXPECTED_PASSES * hint.period : 2 * maxIter);
  const stats: InteriorProofStats = { probes: 0, cycles: 0, rectsProven: 0, pixelsProven: 0, bigintSteps: 0 };
  const proven: Rect[] = [];
  const open: Rect[] = [];
  const openProbeSteps: number[] = [];
  const liftOrigin = BigInt(bits - origin.fracBits);
  const liftOffset = BigInt(bits + grid.exponent);
  const pointOf = (px: number, py: number): [bigint, bigint] => {
    const re = grid.c0re + px * grid.step;
    const im = grid.c0im - py * grid.step;
    if (!Number.isInteger(re) || !Number.isInteger(im)) throw new Error("pixel offsets must be integers");
    return [
      (origin.re << liftOrigin) + (BigInt(re) << liftOffset),
      (origin.im << liftOrigin) + (BigInt(im) << liftOffset),
    ];
  };

  let searches = 0;
  let lastFound: AttractingCycle | null = null;
  // A full search only where it could pay for itself. The reference's own cycle costs a search
  // too, but once per orbit for all the anchor's 256 tiles: worth it where 1/16 of them would pay.
  const searchPays = (loopCost: number) => proofCost(null) < loopCost;
  const guesses = (hint: AttractingCycle | null, loopCost: number) =>
    [hint, lastFound, searchPays(REFERENCE_SHARED_BY * loopCost) ? referenceCycle() : null].filter((g) => g !== null);
  /** The attracting cycle of c: Newton from the first guess that continues here, else a full period search. */
  const cycleAt = (cr: bigint, ci: bigint, tries: AttractingCycle[], loopCost: number) => {
    for (const guess of new Set(tries)) {
      if (work.spent >= work.limit) return null;
      const start = cycleAtBits(guess, bits);
      const continued = newtonCycle(cr, ci, bits, start.period, start.wr, start.wi, work);
      if (continued) return continued;
    }
    if (searches >= MAX_SEARCHES || !searchPays(loopCost) || work.spent + maxIter > work.limit) return null;
    searches++;
    const orbit = iterateOrbit(cr, ci, bits, maxIter);
    work.spent += orbit.count;
    if (orbit.escapedAt !== null) return null;
    return findAttractingCycle(cr, ci, bits, orbit, work.limit - work.spent);
  };

  const visit = (rect: Rect, hint: AttractingCycle | null, parentSteps: number): void => {
    const px = rect.x0 + (rect.width >> 1);
    const py = rect.y0 + (rect.height >> 1);
    const pixels = rect.width * rect.height;
    stats.probes++;
    const probed = probe(px, py);
    // Iterating the rectangle costs about its probe's steps per pixel if it is interior like the
    // probe, and at most the budget per pixel if some of it is.
    const perPixel = probed.interior ? probed.steps : maxIter;
    const loopCost = pixels * perPixel;
    const tries = probed.interior ? guesses(hint, loopCost) : hint ? [hint] : [];
    let cycle: AttractingCycle | null = null;
    if (probed.interior && work.spent < work.limit && proofCost(tries[0] ?? null) < loopCost) {
      const [cr, ci] = pointOf(px, py);
      cycle = cycleAt(cr, ci, tries, loopCost);
      if (cycle) {
        lastFound = cycle;
        stats.cycles++;
        work.spent += cycle.period;
        const disc = interiorDisc(cr, ci, bits, cycle);
        if (disc && reachLog2(rect, px, py, grid) <= disc.distanceLog2 - 2 - Math.log2(SAFETY)) {
          proven.push(rect);
          stats.rectsProven++;
          stats.pixelsProven += pixels;
          return;
        }
      }
    }
    const next = cycle ?? tries[0] ?? null;
    // Split only while a quarter could still pay for its probe and its proof.
    const small = rect.width < 2 * MIN_SIDE || rect.height < 2 * MIN_SIDE;
    if (small || work.spent >= work.limit || perPixel + proofCost(next) >= (pixels / 4) * perPixel) {
      open.push(rect);
      // The parent's probe sits on this rectangle's corner: two samples, the costlier one counts.
      openProbeSteps.push(Math.max(probed.steps, parentSteps));
      return;
    }
    const w0 = rect.width >> 1;
    const h0 = rect.height >> 1;
    visit({ x0: rect.x0, y0: rect.y0, width: w0, height: h0 }, next, probed.steps);
    visit({ x0: rect.x0 + w0, y0: rect.y0, width: rect.width - w0, height: h0 }, next, probed.steps);
    visit({ x0: rect.x0, y0: rect.y0 + h0, width: w0, height: rect.height - h0 }, next, probed.steps);
    visit({ x0: rect.x0 + w0, y0: rect.y0 + h0, width: rect.width - w0, height: rect.height - h0 }, next, probed.steps);
  };

  visit({ x0: 0, y0: 0, width: grid.width, height: grid.height }, null, 0);
  stats.bigintSteps = work.spent;
  return { proven, open, openProbeSteps, stats };
}

/** log2 of the largest distance from pixel (px, py) to a pixel centre of the rectangle. */
function reachLog2(rect: Rect, px: number, py: number, grid: PixelGrid): number {
  const dx = Math.max(px - rect.x0, rect.x0 + rect.width - 1 - px);
  const dy = Math.max(py - rect.y0, rect.y0 + rect.height - 1 - py);
  // Rounded up by 2^-30 in log2, far above the rounding of sqrt and log2.
  return Math.log2(Math.sqrt(dx * dx + dy * dy) * grid.step) + grid.exponent + 2 ** -30;
}

/** The reference's period search may spend this many times its budget in Newton passes (as /point). */
const REFERENCE_SEARCH_FACTOR = 4;

const referenceCycles = new WeakMap<ReferenceOrbit, AttractingCycle | null>();

/**
 * The attracting cycle of a reference point that did not escape, found once per orbit object
 * (a pure function of the orbit, so which tile asks first changes nothing).
 */
export function referenceCycle(ref: ReferenceOrbit): AttractingCycle | null {
  if (ref.escaped) return null;
  let cycle = referenceCycles.get(ref);
  if (cycle === undefined) {
    const point = referencePoint(ref.anchor, ref.offsetRe, ref.offsetIm);
    const bits = ref.precisionBits;
    const lift = BigInt(bits - point.fracBits);
    const cr = point.re << lift;
    const ci = point.im << lift;
    const orbit = iterateOrbit(cr, ci, bits, ref.maxIter);
    cycle =
      orbit.escapedAt === null ? findAttractingCycle(cr, ci, bits, orbit, REFERENCE_SEARCH_FACTOR * ref.maxIter) : null;
    referenceCycles.set(ref, cycle);
  }
  return cycle;
}
