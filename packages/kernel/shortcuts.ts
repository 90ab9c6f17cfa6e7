/**
 * Exact shortcuts for the scalar kernel (the wasm kernel has twins in assembly/kernel.ts).
 * Each is exact: it never changes an escape count, which the checksum tests show for
 * each switch on its own.
 */

/** Points of the main cardioid never escape (closed-form test, no iteration). */
export function inMainCardioid(cx: number, cy: number): boolean {
  const xq = cx - 0.25;
  const y2 = cy * cy;
  const q = xq * xq + y2;
  return q * (q + xq) <= 0.25 * y2;
}

/** Points of the period-2 bulb, the disc of radius 1/4 around -1, never escape. */
export function inPeriod2Bulb(cx: number, cy: number): boolean {
  const xp = cx + 1;
  return xp * xp + cy * cy <= 0.0625;
}

/** Local iteration of the first periodicity checkpoint after z0; the window doubles after each. */
export const FIRST_CHECKPOINT = 16;
