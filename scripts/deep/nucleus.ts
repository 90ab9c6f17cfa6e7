/**
 * Where deep structure is: minibrot nuclei (ball-period method + Newton), Misiurewicz points
 * (Newton on preperiodic orbits) and minibrot size estimates, all in BigInt fixed point
 * (packages/deep/fixed.ts) with float-exp (mantissa, exponent) for quantities that under- or
 * overflow float64 at depth. Used by scripts/find-deep-locations.ts; the theory is in
 * mathr.co.uk "Deep Zoom" and the notes cited in packages/deep/README.md, "Test locations".
 */
import { fixedToFloatExp } from "../../packages/deep/fixed";

export interface Complex {
  re: bigint;
  im: bigint;
}

/** log2 |x + iy| of a fixed-point complex (−Infinity for 0). */
export function log2Abs(x: bigint, y: bigint, bits: number): number {
  const { mantissa, exponent } = fixedToFloatExp(x * x + y * y, 2 * bits);
  return mantissa === 0 ? -Infinity : 0.5 * (exponent + Math.log2(mantissa));
}

/** log2(2^a + 2^b) without leaving the log domain. */
function logAdd(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  const hi = Math.max(a, b);
  return hi + Math.log2(1 + 2 ** (Math.min(a, b) - hi));
}

/**
 * Ball-period method: the first n at which the disc of radius 2^log2Radius around c, pushed
 * through n iterations (radius bounded by r ← r·(2|z| + r) + r0), contains 0: the lowest period
 * of a nucleus near that disc. 0 if none within maxPeriod or the orbit escapes.
 */
export function ballPeriod(c: Complex, log2Radius: number, bits: number, maxPeriod: number): number {
  const b = BigInt(bits);
  let x = 0n;
  let y = 0n;
  let lr = -Infinity;
  for (let n = 1; n <= maxPeriod; n++) {
    const lz = log2Abs(x, y, bits);
    lr = logAdd(lr + logAdd(1 + lz, lr), log2Radius);
    const x2 = (x * x) >> b;
    const y2 = (y * y) >> b;
    if (x2 + y2 > 16n << b) return 0;
    y = ((x * y) >> (b - 1n)) + c.im;
    x = x2 - y2 + c.re;
    if (log2Abs(x, y, bits) < lr) return n;
  }
  return 0;
}

/** z / d for fixed-point complex numbers (bits fraction bits each). */
function divide(z: Complex, d: Complex, bits: number): Complex {
  const den = d.re * d.re + d.im * d.im;
  const b = BigInt(bits);
  return {
    re: ((z.re * d.re + z.im * d.im) << b) / den,
    im: ((z.im * d.re - z.re * d.im) << b) / den,
  };
}

/** Z_n(c) and dZ_n/dc for n = 1 … steps, calling visit(n, z, dz) after each. */
function orbitWithDerivative(
  c: Complex,
  bits: number,
  steps: number,
  visit: (n: number, z: Complex, dz: Complex) => void,
) {
  const b = BigInt(bits);
  const one = 1n << b;
  let x = 0n;
  let y = 0n;
  let dx = 0n;
  let dy = 0n;
  for (let n = 1; n <= steps; n++) {
    // dZ ← 2·Z·dZ + 1, then Z ← Z² + c (the derivative uses the old Z).
    const ndx = ((x * dx - y * dy) >> (b - 1n)) + one;
    const ndy = (x * dy + y * dx) >> (b - 1n);
    const x2 = (x * x) >> b;
    const y2 = (y * y) >> b;
    y = ((x * y) >> (b - 1n)) + c.im;
    x = x2 - y2 + c.re;
    dx = ndx;
    dy = ndy;
    visit(n, { re: x, im: y }, { re: dx, im: dy });
  }
}

/** Newton's method until the step is below 2^-(bits − 8); throws if it does not settle. */
function newton(
  start: Complex,
  bits: number,
  maxSteps: number,
  residual: (c: Complex) => { f: Complex; df: Complex },
): Complex {
  let c = start;
  const tiny = 1n << 8n;
  for (let step = 0; step < maxSteps; step++) {
    const { f, df } = residual(c);
    const delta = divide(f, df, bits);
    c = { re: c.re - delta.re, im: c.im - delta.im };
    const size = delta.re < 0n ? -delta.re : delta.re;
    const sizeIm = delta.im < 0n ? -delta.im : delta.im;
    if (size < tiny && sizeIm < tiny) return c;
  }
  throw new Error(`Newton did not converge in ${maxSteps} steps`);
}

/** The nucleus of period p nearest (in Newton's sense) to start: Z_p(c) = 0. */
export function nucleus(start: Complex, period: number, bits: number, maxSteps = 200): Complex {
  return newton(start, bits, maxSteps, (c) => {
    let f: Complex = { re: 0n, im: 0n };
    let df: Complex = { re: 0n, im: 0n };
    orbitWithDerivative(c, bits, period, (n, z, dz) => {
      if (n === period) {
        f = z;
        df = dz;
      }
    });
    return { f, df };
  });
}

/** A Misiurewicz point of preperiod k and period p near start: Z_{k+p}(c) = Z_k(c). */
export function misiurewicz(start: Complex, preperiod: number, period: number, bits: number, maxSteps = 200): Complex {
  return newton(start, bits, maxSteps, (c) => {
    let zk: Complex = { re: 0n, im: 0n };
    let dzk: Complex = { re: 0n, im: 0n };
    let f: Complex = { re: 0n, im: 0n };
    let df: Complex = { re: 0n, im: 0n };
    orbitWithDerivative(c, bits, preperiod + period, (n, z, dz) => {
      if (n === preperiod) {
        zk = z;
        dzk = dz;
      }
      if (n === preperiod + period) {
        f = { re: z.re - zk.re, im: z.im - zk.im };
        df = { re: dz.re - dzk.re, im: dz.im - dzk.im };
      }
    });
    return { f, df };
  });
}

/** The smallest period q (dividing p) with Z_q(c) ≈ 0 at a nucleus of period p: its exact period. */
export function exactPeriod(c: Complex, period: number, bits: number): number {
  const b = BigInt(bits);
  let x = 0n;
  let y = 0n;
  for (let n = 1; n <= period; n++) {
    const x2 = (x * x) >> b;
    const y2 = (y * y) >> b;
    y = ((x * y) >> (b - 1n)) + c.im;
    x = x2 - y2 + c.re;
    if (period % n === 0 && log2Abs(x, y, bits) < -(bits / 2)) return n;
  }
  return period;
}

/**
 * The smallest (k, p) with Z_{k+p}(c) ≈ Z_k(c), searched up to the given bounds: the exact
 * preperiod and period of a Misiurewicz point found by Newton with possibly larger k and p.
 */
export function exactPreperiod(
  c: Complex,
  bits: number,
  maxPreperiod: number,
  maxPeriod: number,
): { preperiod: number; period: number } {
  const b = BigInt(bits);
  const orbit: Complex[] = [];
  let x = 0n;
  let y = 0n;
  for (let n = 1; n <= maxPreperiod + maxPeriod; n++) {
    const x2 = (x * x) >> b;
    const y2 = (y * y) >> b;
    y = ((x * y) >> (b - 1n)) + c.im;
    x = x2 - y2 + c.re;
    orbit[n] = { re: x, im: y };
  }
  for (let k = 1; k <= maxPreperiod; k++) {
    for (let p = 1; p <= maxPeriod; p++) {
      const d = log2Abs(orbit[k + p].re - orbit[k].re, orbit[k + p].im - orbit[k].im, bits);
      if (d < -(bits / 2)) return { preperiod: k, period: p };
    }
  }
  throw new Error("no preperiodic orbit within the bounds");
}

/**
 * log2 of the size estimate of the minibrot with nucleus c and period p: 1 / |b·l²| with
 * l = Π 2·Z(k) and b = Σ 1/l over the period (mathr.co.uk "Deep Zoom"), in float-exp because l
 * grows far past float64 at depth.
 */
export function log2MinibrotSize(c: Complex, period: number, bits: number): number {
  const b = BigInt(bits);
  // l and b as (re, im) doubles with a shared binary exponent.
  let lRe = 1;
  let lIm = 0;
  let lExp = 0;
  let bRe = 1;
  let bIm = 0;
  let x = 0n;
  let y = 0n;
  for (let n = 1; n < period; n++) {
    const x2 = (x * x) >> b;
    const y2 = (y * y) >> b;
    y = ((x * y) >> (b - 1n)) + c.im;
    x = x2 - y2 + c.re;
    const zx = fixedToFloatExp(x, bits);
    const zy = fixedToFloatExp(y, bits);
    const e = Math.max(zx.exponent, zy.exponent);
    const zRe = zx.mantissa * 2 ** (zx.exponent - e);
    const zIm = zy.mantissa * 2 ** (zy.exponent - e);
    // l ← 2·z·l
    const nRe = 2 * (zRe * lRe - zIm * lIm);
    const nIm = 2 * (zRe * lIm + zIm * lRe);
    lExp += e;
    const scale = Math.max(Math.abs(nRe), Math.abs(nIm));
    const shift = scale === 0 ? 0 : Math.floor(Math.log2(scale));
    lRe = nRe * 2 ** -shift;
    lIm = nIm * 2 ** -shift;
    lExp += shift;
    // b ← b + 1/l (1/l = conj(l) / |l|² · 2^-lExp); negligible once |l| is huge.
    if (lExp < 1000) {
      const m2 = lRe * lRe + lIm * lIm;
      const f = 2 ** -lExp / m2;
      bRe += lRe * f;
      bIm -= lIm * f;
    }
  }
  const log2L = lExp + 0.5 * Math.log2(lRe * lRe + lIm * lIm);
  const log2B = 0.5 * Math.log2(bRe * bRe + bIm * bIm);
  return -(log2B + 2 * log2L);
}
