/**
 * Exact interior shortcut: a deep tile whose every pixel centre lies inside the main cardioid or
 * the period-2 bulb (with a wide margin) is interior at any budget, so it needs no iteration.
 * Without it an all-interior tile costs budget × pixels steps (README "Interior tiles: BLA at
 * shallow depth, wasm tier-up, the cardioid shortcut"); interior-proof.ts covers every other
 * component, at the price of BigInt work this closed form does not need.
 *
 * Rigour: the test runs in float64 on the pixel centre rounded to float64 (error ≤ 2^-53 relative)
 * and uses only +, −, ×, ÷ and Math.sqrt (correctly rounded, the same on every machine). Its
 * rounding error is below 2^-26 in |w|² (the complex square root loses at most half the digits near
 * its branch cut), far inside the margin INTERIOR_MARGIN = 2^-16: a pixel is classified interior
 * only when it is provably inside, at any zoom; pixels near the boundary take the normal path.
 */
import { ldexp } from "./bigfloat";
import { fixedToFloat64 } from "./fixed";
import { anchorOf, tilePixelGrid, type DeepTileInput } from "./geometry";
import { referencePoint } from "./reference";

export const INTERIOR_MARGIN = 2 ** -16;

/**
 * Is c = x + iy inside the main cardioid (multiplier w = 1 − sqrt(1 − 4c), |w| < 1) or the
 * period-2 bulb (|c + 1| < 1/4), by the margin?
 */
export function provablyInterior(x: number, y: number): boolean {
  const bx = x + 1;
  if (bx * bx + y * y < 0.0625 * (1 - INTERIOR_MARGIN)) return true;
  // sqrt(a + ib) for a + ib = 1 − 4c
  const a = 1 - 4 * x;
  const b = -4 * y;
  const r = Math.sqrt(a * a + b * b);
  const sr = Math.sqrt((r + a) / 2);
  const si = (b < 0 ? -1 : 1) * Math.sqrt((r - a) / 2);
  const wr = 1 - sr;
  const wi = -si;
  return wr * wr + wi * wi < 1 - INTERIOR_MARGIN;
}

/** Every pixel centre of the tile provably interior? */
export function tileProvablyInterior(input: DeepTileInput): boolean {
  const anchor = anchorOf(input);
  const grid = tilePixelGrid(input, anchor);
  const point = referencePoint(anchor, 0, 0);
  const x0 = fixedToFloat64(point.re, point.fracBits);
  const y0 = fixedToFloat64(point.im, point.fracBits);
  for (let py = 0; py < grid.height; py++) {
    const y = y0 + ldexp(grid.c0im - py * grid.step, grid.exponent);
    for (let px = 0; px < grid.width; px++) {
      if (!provablyInterior(x0 + ldexp(grid.c0re + px * grid.step, grid.exponent), y)) return false;
    }
  }
  return true;
}
