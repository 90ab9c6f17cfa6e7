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
import { fixedToFloat64 } from "./fixed";

/** 1 − |λ|² must exceed its error bound by this factor (interiorDisc). */
const ERROR_MARGIN = 2 ** 8;

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

/** |a|² as (mantissa, exponent): the mantissa in [1, 8) or 0. */
function magnitudeSq(a: ComplexExp): { m: number; e: number } {
  return { m: a.re * a.re + a.im * a.im, e: 2 * a.exp };
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
 * The error of 1 − |λ|² has two parts: w is off the cycle by about |f^p(w) − w| / |1 − λ| (one
 * Newton step; the residual is measured in this same pass), which moves λ by ∂²F/∂z² times that;
 * and the float-exp products round by about 2^-52 each, 4p of them. 1 − |λ|² must exceed
 * ERROR_MARGIN times their sum; then b is good to a few percent, far inside the SAFETY factor of
 * interior-proof.ts.
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
  for (let k = 0; k < cycle.period; k++) {
    const zr = fixedToFloat64(x, bits);
    const zi = fixedToFloat64(y, bits);
    const z = Math.abs(zr) < 2 ** -900 && Math.abs(zi) < 2 ** -900 ? fromFixed(x, y, bits) : normalize(zr, zi, 0);
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
  const lambda = magnitudeSq(dz);
  const lambdaSq = lambda.m === 0 ? 0 : ldexp(lambda.m, lambda.e);
  const oneMinus = 1 - lambdaSq;
  if (!(oneMinus > 0)) return null;
  const oneMinusLambda = add(ONE, { re: -dz.re, im: -dz.im, exp: dz.exp });
  if (oneMinusLambda.re === 0 && oneMinusLambda.im === 0) return null;
  // log2 of the error bound of 1 − |λ|² (see above); the residual is at least the truncation unit.
  const residualLog2 = Math.max(log2Magnitude(fromFixed(x - cycle.wr, y - cycle.wi, bits)), -bits + 4);
  const wErrorLog2 = residualLog2 - log2Magnitude(oneMinusLambda);
  const fromW = 2 ** (1 + log2Magnitude(dzdz) + wErrorLog2);
  const fromRounding = 4 * cycle.period * 2 ** -52;
  if (!(oneMinus > ERROR_MARGIN * (fromW + fromRounding))) return null;
  const slope = add(dcdz, mul(dzdz, div(dc, oneMinusLambda)));
  const slopeLog2 = log2Magnitude(slope);
  if (!Number.isFinite(slopeLog2)) return null;
  return {
    multiplierLog2: lambdaSq === 0 ? -Infinity : 0.5 * Math.log2(lambdaSq),
    distanceLog2: Math.log2(oneMinus) - slopeLog2,
  };
}
