/**
 * Continuous ("smooth") escape value, shared by every kernel so that they agree
 * bit for bit: kernels only hand over the exact count n and the escape value z_n.
 *
 * From z_n we iterate SMOOTH_EXTRA_STEPS more times (z_m, m = n + extra) so that |z_m| is
 * large and the standard renormalisation mu = m + 1 - log2(ln|z_m|) is continuous across
 * integer-count boundaries (with the bailout radius of 2 alone, mu would visibly band).
 * The counts themselves are never touched. Math.log/Math.log2 are V8's software fdlibm
 * ports, so the values are identical on every machine.
 */
export const SMOOTH_EXTRA_STEPS = 4;

/** Stop the extra steps early when |z|^2 exceeds this: mu is already invariant and z must stay finite. */
const HUGE_MAGNITUDE_SQ = 1e60;

export const INTERIOR_SMOOTH = -1;

export function smoothEscapeValue(n: number, maxIter: number, zx: number, zy: number, cx: number, cy: number): number {
  if (n >= maxIter) return INTERIOR_SMOOTH;
  let x = zx;
  let y = zy;
  let m = n;
  for (let k = 0; k < SMOOTH_EXTRA_STEPS; k++) {
    const x2 = x * x;
    const y2 = y * y;
    if (x2 + y2 > HUGE_MAGNITUDE_SQ) break;
    y = 2 * x * y + cy;
    x = x2 - y2 + cx;
    m++;
  }
  const logModulus = 0.5 * Math.log(x * x + y * y);
  const mu = m + 1 - Math.log2(logModulus);
  // Far outside the set (|c| >> 2) mu can dip below 0; clamp so it can never be mistaken for interior.
  return mu > 0 ? mu : 0;
}
