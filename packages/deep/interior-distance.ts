/**
 * A disc of c-plane around a point c that provably lies inside c's hyperbolic component.
 *
 * The multiplier map λ(c) = (f^p)'(w(c)) of a hyperbolic component of period p is a conformal
 * bijection onto the unit disc (Douady–Hubbard). Koebe's quarter theorem applied to its inverse,
 * composed with the disc automorphism taking 0 to λ(c), says the component contains the disc about
 * c of radius b/4 with
 *
 *   b = (1 − |λ|²) / |dλ/dc|,   dλ/dc = ∂²F/∂z∂c + ∂²F/∂z² · ∂F/∂c / (1 − λ)   (F = f_c^p at w),
 *
 * the "interior distance estimate" (b/4 ≤ distance to the boundary ≤ b). The four partial
 * derivatives follow the cycle once from w: with z' = ∂z/∂z, ż = ∂z/∂c,
 *   z'ₖ₊₁ = 2zₖz'ₖ,  żₖ₊₁ = 2zₖżₖ + 1,  z''ₖ₊₁ = 2(zₖz''ₖ + z'ₖ²),  ż'ₖ₊₁ = 2(zₖż'ₖ + żₖz'ₖ).
 * They run in float-exp (ż grows like 1/size of the component: 2^2000 at depth).
 */
import { ldexp } from "./bigfloat";
import { type AttractingCycle, type ComplexExp, fromFixed, log2Magnitude, normalize } from "./cycle";
import { bitLength, dyadicToFloatExp, fixedToFloat64 } from "./fixed";

/** 1 − |λ|² must exceed its error bound by this factor (interiorDisc); SAFETY covers the rest. */
const ERROR_MARGIN = 16;

const ZERO: ComplexExp = { re: 0, im: 0, exp: 0 };
const ONE: ComplexExp = { re: 1, im: 0, exp: 0 };

function mul(a: ComplexExp, b: ComplexExp): ComplexExp {
  return normalize(a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re, a.exp + b.exp);
}

function add(a: ComplexExp, b: ComplexExp): ComplexExp {
  if (a.re === 0 && a.im === 0) return b;
  if (b.re === 0 && b.im === 0) return a;
  const e = Math.max(a.exp, b.exp);
  return normalize(ldexp(a.re, a.exp - e) + ldexp(b.re, b.exp - e), ldexp(a.im, a.exp - e) + ldexp(b.im, b.exp - e), e);
}

function twice(a: ComplexExp): ComplexExp {
  return a.re === 0 && a.im === 0 ? a : { re: a.re, im: a.im, exp: a.exp + 1 };
}

function div(a: ComplexExp, b: ComplexExp): ComplexExp {
  const d = b.re * b.re + b.im * b.im;
  return normalize((a.re * b.re + a.im * b.im) / d, (a.im * b.re - a.re * b.im) / d, a.exp - b.exp);
}

export interface InteriorDisc {
  /** log2 of the multiplier's modulus |λ| (below 0: attracting). */
  multiplierLog2: number;
  /** log2 of b: the component contains the disc of radius b/4 about c. */
  distanceLog2: number;
}

/**
 * The interior distance estimate b at c for its attracting cycle (w on it, from cycle.ts). Null
 * when 1 − |λ|² is not clearly above its own error (c is then close to the boundary, or more
 * bits would be needed), or a derivative vanished.
 *
 * Near the boundary 1 − |λ|² is tiny (about the distance to the boundary, so 2^-z at zoom z),
 * so λ itself is multiplied out in BigInt floating point at the proof's precision, not in doubles;
 * the other derivatives only need a few digits. The error of 1 − |λ|² then has two parts: w is
 * off the cycle by about |f^p(w) − w| / |1 − λ| (one Newton step; the residual is measured in this
 * same pass), which moves λ by ∂²F/∂z² times that; and each z_k is truncated to 2^-bits, which
 * moves λ by at most 2^(1−bits)·Π_{j≠k}|2z_j| (the BigInt products add one unit per step).
 * 1 − |λ|² must exceed ERROR_MARGIN times their sum; then b is good to a few percent, far inside
 * the SAFETY factor of interior-proof.ts.
 */
export function interiorDisc(cr: bigint, ci: bigint, bits: number, cycle: AttractingCycle): InteriorDisc | null {
  const b = BigInt(bits);
  const b1 = b - 1n;
  let x = cycle.wr;
  let y = cycle.wi;
  let dz = ONE;
  let dc = ZERO;
  let dzdz = ZERO;
  let dcdz = ZERO;
  // λ = Π 2z_k as (lr + i·li)·2^le with mantissas of about `bits` bits
  let lr = 1n;
  let li = 0n;
  let le = 0;
  const factorLog2: number[] = []; // log2 |2z_k|, for the truncation error of λ
  for (let k = 0; k < cycle.period; k++) {
    const zr = fixedToFloat64(x, bits);
    const zi = fixedToFloat64(y, bits);
    const z = Math.abs(zr) < 2 ** -900 && Math.abs(zi) < 2 ** -900 ? fromFixed(x, y, bits) : normalize(zr, zi, 0);
    factorLog2.push(1 + log2Magnitude(z));
    const pr = lr * x - li * y;
    li = lr * y + li * x;
    lr = pr;
    le += 1 - bits;
    const excess = Math.max(bitLength(lr), bitLength(li)) - (bits + 8);
    if (excess > 0) {
      lr >>= BigInt(excess);
      li >>= BigInt(excess);
      le += excess;
    }
    const nextDcdz = twice(add(mul(z, dcdz), mul(dc, dz)));
    const nextDzdz = twice(add(mul(z, dzdz), mul(dz, dz)));
    dc = add(twice(mul(z, dc)), ONE);
    dz = twice(mul(z, dz));
    dcdz = nextDcdz;
    dzdz = nextDzdz;
    const x2 = (x * x) >> b;
    const y2 = (y * y) >> b;
    y = ((x * y) >> b1) + ci;
    x = x2 - y2 + cr;
  }
  // 1 − |λ|² exactly from the BigInt λ, then rounded once
  const sq = lr * lr + li * li; // |λ|² = sq · 2^(2·le)
  const oneMinusExact = 2 * le >= 0 ? 1n - (sq << BigInt(2 * le)) : (1n << BigInt(-2 * le)) - sq;
  if (oneMinusExact <= 0n) return null;
  const oneMinusFe = dyadicToFloatExp(oneMinusExact, Math.min(0, 2 * le));
  const oneMinusLog2 = oneMinusFe.exponent + Math.log2(oneMinusFe.mantissa); // may be far below 2^-1074
  const oneMinusLambda = add(ONE, { re: -dz.re, im: -dz.im, exp: dz.exp });
  if (oneMinusLambda.re === 0 && oneMinusLambda.im === 0) return null;
  // log2 of the error bound of 1 − |λ|² (see above); the residual is at least the truncation unit.
  const residualLog2 = Math.max(log2Magnitude(fromFixed(x - cycle.wr, y - cycle.wi, bits)), -bits + 4);
  const wErrorLog2 = residualLog2 - log2Magnitude(oneMinusLambda);
  const fromWLog2 = 1 + log2Magnitude(dzdz) + wErrorLog2;
  const lambdaErrorLog2 = truncationErrorLog2(factorLog2, bits);
  const lambdaLog2 = 0.5 * Math.log2(Math.max(0, 1 - ldexp(oneMinusFe.mantissa, oneMinusFe.exponent)));
  // δ|λ|² ≤ 2(|λ| + δλ)·δλ
  const fromTruncationLog2 = 2 + Math.max(lambdaLog2, lambdaErrorLog2) + lambdaErrorLog2;
  const errorLog2 = Math.log2(ERROR_MARGIN) + 1 + Math.max(fromWLog2, fromTruncationLog2);
  if (!(oneMinusLog2 > errorLog2)) return null;
  const slope = add(dcdz, mul(dzdz, div(dc, oneMinusLambda)));
  const slopeLog2 = log2Magnitude(slope);
  if (!Number.isFinite(slopeLog2)) return null;
  return {
    multiplierLog2: lambdaLog2,
    distanceLog2: oneMinusLog2 - slopeLog2,
  };
}

/**
 * log2 of a bound on |δλ| from truncating each z_k to 2^-bits: Σ_k 2^(1−bits)·Π_{j≠k}|2z_j|, plus
 * the BigInt products' own rounding; factorLog2[k] = log2|2z_k| (−∞ where z_k is 0: then the other
 * factors carry the error).
 */
function truncationErrorLog2(factorLog2: readonly number[], bits: number): number {
  const zeros = factorLog2.filter((f) => f === -Infinity).length;
  const finiteSum = factorLog2.reduce((sum, f) => (f === -Infinity ? sum : sum + f), 0);
  let worst = -Infinity;
  for (const f of factorLog2) {
    // log2 Π_{j≠k} |2z_j|
    const others = f === -Infinity ? (zeros === 1 ? finiteSum : -Infinity) : zeros > 0 ? -Infinity : finiteSum - f;
    worst = Math.max(worst, others);
  }
  const p = factorLog2.length;
  return Math.log2(p) + Math.max(1 - bits + worst, -bits + 4 + Math.max(0, finiteSum));
}
