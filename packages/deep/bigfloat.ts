/**
 * Exact power-of-two scaling of doubles.
 * Only +, −, ×, ÷ by powers of two, so the
 * results are the same on every machine. assembly/deep.ts has the same helpers for wasm.
 */

const POW2_MIN = -1074;
const POW2_MAX = 1023;
const POW2 = new Float64Array(POW2_MAX - POW2_MIN + 1);
{
  let v = 1;
  for (let k = 0; k <= POW2_MAX; k++, v *= 2) POW2[k - POW2_MIN] = v;
  v = 1;
  for (let k = 0; k >= POW2_MIN; k--, v /= 2) POW2[k - POW2_MIN] = v;
}

/** 2^k exactly (0 below 2^-1074, Infinity above 2^1023). */
export function pow2(k: number): number {
  if (k < POW2_MIN) return 0;
  if (k > POW2_MAX) return Infinity;
  return POW2[k - POW2_MIN];
}

/** x · 2^k, in at most three exact steps (rounded only where the result is subnormal). */
export function ldexp(x: number, k: number): number {
  if (k >= -1022 && k <= 1023) return x * POW2[k - POW2_MIN];
  if (k > 1023) {
    if (k > 2200) return x === 0 ? 0 : x * Infinity;
    return x * POW2[1023 - POW2_MIN] * pow2(k - 1023);
  }
  if (k < -2200) return x * 0;
  return x * POW2[-1022 - POW2_MIN] * pow2(k + 1022);
}

const scratch = new DataView(new ArrayBuffer(8));

/** The binary exponent e of x ≠ 0 with 2^e <= |x| < 2^(e+1); 0 for 0 and non-finite x. */
export function exponentOf(x: number): number {
  if (x === 0 || !Number.isFinite(x)) return 0;
  scratch.setFloat64(0, x);
  const biased = (scratch.getUint16(0) >> 4) & 0x7ff;
  if (biased !== 0) return biased - 1023;
  return exponentOf(x * 2 ** 64) - 64; // subnormal
}
