/** Deep tiles the benchmarks share beyond the public locations (packages/deep/locations.ts). */
import { formatFixed, parseDecimal } from "../../packages/deep/fixed";
import type { DeepTileInput } from "../../packages/deep/geometry";
import { inspectFixed } from "../../packages/deep/point";
import { iterationBudget } from "../../packages/tile/budget";

/** The 1x tile at zoom z containing the point given as decimal strings (exact at any depth), at its budget. */
export function tileAt(re: string, im: string, z: number): DeepTileInput {
  // x = floor((re + 2.5)·2^z / 4), y = floor((2 − im)·2^z / 4), in fixed point with 8 spare bits
  const bits = z + 8;
  const one = 1n << BigInt(bits);
  const x = (parseDecimal(re, bits) + (5n * one) / 2n) >> 10n;
  const y = (2n * one - parseDecimal(im, bits)) >> 10n;
  return { z, x, y, scale: 1, maxIter: iterationBudget(z, 1) };
}

/** The nucleus of the period-3 bulb, to double precision. */
export const PERIOD_3 = { re: "-0.1225611668766536", im: "0.7448617666197442" } as const;

/**
 * The tile at zoom z on the period-3 bulb's boundary straight above its nucleus: bisection on
 * "has an attracting cycle of period 3" in fixed point, to 2^-(z+16).
 */
export function periodThreeBoundaryTile(z: number): DeepTileInput {
  const bits = z + 24;
  const cr = parseDecimal(PERIOD_3.re, bits);
  const period = (y: bigint) => inspectFixed(cr, y, bits, 2000).period;
  let inside = parseDecimal(PERIOD_3.im, bits);
  let outside = inside + (1n << BigInt(bits - 2)); // 0.25 above: outside the bulb
  for (let i = 0; i < z + 16; i++) {
    const mid = (inside + outside) >> 1n;
    if (period(mid) === 3) inside = mid;
    else outside = mid;
  }
  return tileAt(PERIOD_3.re, formatFixed(inside, bits), z);
}
