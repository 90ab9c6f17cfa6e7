/**
 * Attracting cycles of z ↦ z² + c in BigInt fixed point (c = (cr + i·ci) / 2^bits): the period
 * that `GET /point` reports (point.ts) and the cycles the interior proofs of deep tiles stand on
 * (interior-proof.ts).
 *
 * Period: atom-domain candidates verified by Newton. While iterating, every n at which |z_n|
 * reaches a new minimum is a candidate (a point of a hyperbolic component of period q lies in the
 * atom domain of period q, where |z_q| < |z_k| for all k < q, so q is such a record). For a
 * candidate p, Newton's method solves f^p(w) = w; if it converges and the multiplier |(f^p)'(w)|
 * is below 1, w lies on an attracting cycle (the only one, since it attracts the critical point),
 * and its exact period is the least k dividing p with f^k(w) = w. Unlike comparing iterates for a
 * return, this does not need the orbit to have converged (periods of thousands at depth,
 * multipliers near 1 at the edge of a component). Newton runs on the fixed-point orbit with the
 * derivative in float-exp.
 */
import { exponentOf, ldexp } from "./bigfloat";
import { fixedToFloat64, fixedToFloatExp } from "./fixed";

const NEWTON_STEPS = 12;

/** A complex float with a shared binary exponent: (re + i·im) · 2^exp, max(|re|, |im|) in [1, 2) or 0. */
export interface ComplexExp {
  re: number;
  im: number;
  exp: number;
}

/** Exact rescaling by a power of two, so the same value on every machine. */
export function normalize(re: number, im: number, exp: number): ComplexExp {
  const size = Math.max(Math.abs(re), Math.abs(im));
  if (size === 0) return { re: 0, im: 0, exp: 0 };
  const shift = exponentOf(size);
  return { re: ldexp(re, -shift), im: ldexp(im, -shift), exp: exp + shift };
}

export function fromFixed(x: bigint, y: bigint, bits: number): ComplexExp {
  const fx = fixedToFloatExp(x, bits);
  const fy = fixedToFloatExp(y, bits);
  if (fx.mantissa === 0 && fy.mantissa === 0) return { re: 0, im: 0, exp: 0 };
  const e = Math.max(fx.mantissa === 0 ? -Infinity : fx.exponent, fy.mantissa === 0 ? -Infinity : fy.exponent);
  return normalize(ldexp(fx.mantissa, fx.exponent - e), ldexp(fy.mantissa, fy.exponent - e), e);
}

export function log2Magnitude(v: ComplexExp): number {
  return v.re === 0 && v.im === 0 ? -Infinity : v.exp + 0.5 * Math.log2(v.re * v.re + v.im * v.im);
}

export interface Orbit {
  /** The kernels' count: iterations run, stopping at the first |z|² > 4 or at the budget. */
  count: number;
  /** n of the first |z_n|² > 4, null if none within the budget. */
  escapedAt: number | null;
  x: bigint;
  y: bigint;
  /** Indices n ≥ 1 at which |z_n| reached a new minimum, increasing. */
  records: number[];
}

export function iterateOrbit(cr: bigint, ci: bigint, bits: number, budget: number): Orbit {
  const b = BigInt(bits);
  const b1 = b - 1n;
  const four = 4n << b;
  let x = 0n;
  let y = 0n;
  let x2 = 0n;
  let y2 = 0n;
  let best = -1n;
  const records: number[] = [];
  for (let n = 1; n <= budget; n++) {
    const xy = (x * y) >> b1;
    x = x2 - y2 + cr;
    y = xy + ci;
    x2 = (x * x) >> b;
    y2 = (y * y) >> b;
    const m = x2 + y2;
    if (m > four) return { count: n, escapedAt: n, x, y, records };
    if (best < 0n || m < best) {
      best = m;
      records.push(n);
    }
  }
  return { count: budget, escapedAt: null, x, y, records };
}

/**
 * One pass of f^p from w: returns f^p(w) − w (fixed point), the multiplier (f^p)'(w) = Π 2·z_k,
 * the truncation noise of f^p(w) (log2), and the least k dividing p with f^k(w) = w within that
 * noise (p if none). Null if the iterates leave |z| ≤ 4 (w is not on a cycle).
 */
function cyclePass(wr: bigint, wi: bigint, cr: bigint, ci: bigint, bits: number, p: number) {
  const b = BigInt(bits);
  const b1 = b - 1n;
  let x = wr;
  let y = wi;
  let d: ComplexExp = { re: 1, im: 0, exp: 0 };
  const returns: [number, number][] = []; // (k, log2 |f^k(w) − w|) for the divisors k of p
  // Truncation noise in f^p(w): an error made at step k is amplified by (f^p)'/(f^k)'; the largest
  // such factor is |(f^p)'| / min_k |(f^k)'| (huge at depth, where the cycle passes near 0).
  let minLog2Derivative = 0;
  const escapeBound = 16n << b;
  for (let k = 1; k <= p; k++) {
    // Multiplier: d ← d · 2z, with z in float-exp so tiny cycle points at depth do not underflow.
    const zf = pointOf(x, y, bits);
    if (k > 1) minLog2Derivative = Math.min(minLog2Derivative, Math.max(log2Magnitude(d), -4 * bits));
    d = normalize(2 * (d.re * zf.re - d.im * zf.im), 2 * (d.re * zf.im + d.im * zf.re), d.exp + zf.exp);
    const x2 = (x * x) >> b;
    const y2 = (y * y) >> b;
    // Outside the filled Julia set the iterates grow without bound (and BigInts with them): not a cycle.
    if (x2 + y2 > escapeBound) return null;
    y = ((x * y) >> b1) + ci;
    x = x2 - y2 + cr;
    if (k < p && p % k === 0) returns.push([k, log2Magnitude(fromFixed(x - wr, y - wi, bits))]);
  }
  const noiseLog2 = -bits + Math.max(log2Magnitude(d), -4 * bits) - minLog2Derivative + Math.log2(p);
  const floor = Math.max(-(bits - 24), noiseLog2 + 16);
  const least = returns.find(([, distance]) => distance < floor)?.[0] ?? p;
  return { fr: x - wr, fi: y - wi, multiplier: d, least, noiseLog2 };
}

/** z as float-exp: a plain double where it is one, so the common case costs no BigInt division. */
function pointOf(x: bigint, y: bigint, bits: number): ComplexExp {
  const zr = fixedToFloat64(x, bits);
  const zi = fixedToFloat64(y, bits);
  const small = Math.abs(zr) < 2 ** -900 && Math.abs(zi) < 2 ** -900;
  return small ? fromFixed(x, y, bits) : { re: zr, im: zi, exp: 0 };
}

export interface AttractingCycle {
  /** The exact period: the least k with f^k(w) = w. */
  period: number;
  /** A point of the cycle, to the precision `bits` allows, in fixed point with `bits` fraction bits. */
  wr: bigint;
  wi: bigint;
  bits: number;
}

/** The cycle's point at another precision (as a starting point for Newton there). */
export function cycleAtBits(cycle: AttractingCycle, bits: number): AttractingCycle {
  if (bits === cycle.bits) return cycle;
  const shift = BigInt(Math.abs(bits - cycle.bits));
  const move = (v: bigint) => (bits > cycle.bits ? v << shift : v >> shift);
  return { period: cycle.period, wr: move(cycle.wr), wi: move(cycle.wi), bits };
}

/**
 * Newton for f^p(w) = w from (wr, wi). The attracting cycle, if it converges to one; null if it
 * diverges, stalls, finds a repelling cycle, or would need more bits. `work` counts BigInt
 * iterations (p per Newton step), so callers can bound their total.
 */
export function newtonCycle(
  cr: bigint,
  ci: bigint,
  bits: number,
  p: number,
  wr: bigint,
  wi: bigint,
  work: { spent: number; limit: number },
): AttractingCycle | null {
  let previousStep = Infinity;
  for (let step = 0; step < NEWTON_STEPS; step++) {
    work.spent += p;
    if (work.spent > work.limit) return null;
    const pass = cyclePass(wr, wi, cr, ci, bits, p);
    if (pass === null) return null;
    // Newton: w ← w − (f^p(w) − w) / ((f^p)'(w) − 1).
    const f = fromFixed(pass.fr, pass.fi, bits);
    const m = pass.multiplier;
    // (f^p)'(w) − 1 in float-exp; one term is negligible when the exponents are far apart.
    let den: ComplexExp;
    if (m.exp < -60) den = { re: -1, im: 0, exp: 0 };
    else if (m.exp > 60) den = m;
    else den = normalize(ldexp(m.re, m.exp) - 1, ldexp(m.im, m.exp), 0);
    const den2 = den.re * den.re + den.im * den.im;
    if (den2 === 0) return null;
    // delta = f / den = f · conj(den) / |den|²
    const delta = normalize(
      (f.re * den.re + f.im * den.im) / den2,
      (f.im * den.re - f.re * den.im) / den2,
      f.exp - den.exp,
    );
    const stepLog2 = log2Magnitude(delta);
    // Converged: the step is down at the truncation noise of f^p(w) (or below 2^-(bits−24)), and
    // that noise is small enough for the answer to mean something (else more bits are needed).
    const floor = Math.max(-(bits - 24), pass.noiseLog2 + 16 - log2Magnitude(den));
    if (stepLog2 < floor && floor < -32) {
      // A repelling (or neutral) cycle of period p is not the attractor.
      return log2Magnitude(m) < 0 ? { period: pass.least, wr, wi, bits } : null;
    }
    if (!(stepLog2 < 4) || (step > 3 && stepLog2 > previousStep - 1)) return null; // diverging or stalled
    previousStep = stepLog2;
    wr -= toFixed(delta.re, delta.exp, bits);
    wi -= toFixed(delta.im, delta.exp, bits);
  }
  return null;
}

/**
 * The attracting cycle of c from an orbit iterated to the budget without escaping: candidates in
 * candidateOrder, Newton from the orbit's last iterate, at most `maxWork` BigInt iterations.
 */
export function findAttractingCycle(
  cr: bigint,
  ci: bigint,
  bits: number,
  orbit: Orbit,
  maxWork: number,
): AttractingCycle | null {
  const work = { spent: 0, limit: maxWork };
  for (const p of candidateOrder(orbit.records)) {
    const cycle = newtonCycle(cr, ci, bits, p, orbit.x, orbit.y, work);
    if (cycle) return cycle;
    if (work.spent > work.limit) return null;
  }
  return null;
}

/**
 * The order in which record indices are tried as periods. Once the orbit has settled on its cycle
 * of period q, new records fall only on multiples of q, so the records that divide every later
 * record come first (ascending: the true period before its multiples); the rest follow from the
 * latest back (an orbit still settling makes a few late records off the multiples).
 */
export function candidateOrder(records: readonly number[]): number[] {
  const consistent: number[] = [];
  const others: number[] = [];
  // r divides every later record iff it divides their gcd: one pass from the end.
  const laterGcd: number[] = new Array(records.length);
  let g = 0;
  for (let i = records.length - 1; i >= 0; i--) {
    laterGcd[i] = g;
    g = gcd(g, records[i]);
  }
  for (let i = 0; i < records.length; i++) (laterGcd[i] % records[i] === 0 ? consistent : others).push(records[i]);
  return [...consistent, ...others.reverse()];
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** v · 2^exp as a fixed-point bigint (v a double), truncated. */
export function toFixed(v: number, exp: number, bits: number): bigint {
  if (v === 0) return 0n;
  const m = BigInt(Math.round(ldexp(v, 52)));
  const shift = exp - 52 + bits;
  return shift >= 0 ? m << BigInt(shift) : m >> BigInt(-shift);
}
