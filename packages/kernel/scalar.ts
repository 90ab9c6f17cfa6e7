import { assertValidInput, pixelIm, pixelRe } from "./pixel";
import { FIRST_CHECKPOINT, inMainCardioid, inPeriod2Bulb } from "./shortcuts";
import { INTERIOR_SMOOTH, smoothEscapeValue } from "./smooth";
import type { EscapeResult, Kernel, KernelInput } from "./types";

/** Switches for the scalar kernel's exact optimisations (all on by default). */
export interface ScalarShortcuts {
  cardioidBulb: boolean;
  periodicity: boolean;
  /** Iterate two pixels in lockstep (iteratePlainPair). */
  pairedOrbits: boolean;
}

export const ALL_SCALAR_SHORTCUTS: ScalarShortcuts = { cardioidBulb: true, periodicity: true, pairedOrbits: true };

// The escape value z_n of the last iterateWithPeriodicity or continueOrbit call that escaped
// (module state instead of a returned object: no allocation per pixel).
let escapeX = 0;
let escapeY = 0;

/**
 * Escape count of c with Brent-style cycle detection: z is saved at local iterations
 * 0, 16, 32, 64, ... and a later z bit-identical to the saved one proves the orbit
 * cycles through non-escaping points forever, so the count is maxIter. Only exact
 * equality counts (no epsilon), so no count can change.
 */
export function iterateWithPeriodicity(cx: number, cy: number, maxIter: number): number {
  let x = 0;
  let y = 0;
  let savedX = 0;
  let savedY = 0;
  let nextCheckpoint = FIRST_CHECKPOINT;
  for (let n = 1; n <= maxIter; n++) {
    const nextY = 2 * x * y + cy;
    x = x * x - y * y + cx;
    y = nextY;
    if (x * x + y * y > 4) {
      escapeX = x;
      escapeY = y;
      return n;
    }
    if (x === savedX && y === savedY) return maxIter;
    if (n === nextCheckpoint) {
      savedX = x;
      savedY = y;
      nextCheckpoint *= 2;
    }
  }
  return maxIter;
}

/** The plain escape loop from z_n = (x, y), for pixels not expected to be interior. */
function continueOrbit(x: number, y: number, n: number, cx: number, cy: number, maxIter: number): number {
  while (n < maxIter) {
    const nextY = 2 * x * y + cy;
    x = x * x - y * y + cx;
    y = nextY;
    n++;
    if (x * x + y * y > 4) {
      escapeX = x;
      escapeY = y;
      return n;
    }
  }
  return maxIter;
}

/** Results of iteratePlainPair: count and escape value of each orbit. */
const pairResult = { nA: 0, xA: 0, yA: 0, nB: 0, xB: 0, yB: 0 };

/**
 * Two orbits iterated in lockstep. The escape loop is latency-bound (each step waits for the
 * last), so a second, independent orbit runs almost for free. When one escapes, the other
 * carries on alone from where it is, so both counts are exactly those of the plain loop.
 */
export function iteratePlainPair(cxA: number, cyA: number, cxB: number, cyB: number, maxIter: number): void {
  let xa = 0;
  let ya = 0;
  let xb = 0;
  let yb = 0;
  for (let n = 1; n <= maxIter; n++) {
    const nextYa = 2 * xa * ya + cyA;
    xa = xa * xa - ya * ya + cxA;
    ya = nextYa;
    const nextYb = 2 * xb * yb + cyB;
    xb = xb * xb - yb * yb + cxB;
    yb = nextYb;
    const escapedA = xa * xa + ya * ya > 4;
    const escapedB = xb * xb + yb * yb > 4;
    if (escapedA || escapedB) {
      pairResult.nA = escapedA ? n : continueOrbit(xa, ya, n, cxA, cyA, maxIter);
      pairResult.xA = escapedA ? xa : escapeX;
      pairResult.yA = escapedA ? ya : escapeY;
      pairResult.nB = escapedB ? n : continueOrbit(xb, yb, n, cxB, cyB, maxIter);
      pairResult.xB = escapedB ? xb : escapeX;
      pairResult.yB = escapedB ? yb : escapeY;
      return;
    }
  }
  pairResult.nA = maxIter;
  pairResult.nB = maxIter;
}

function writePixel(
  result: EscapeResult,
  i: number,
  n: number,
  maxIter: number,
  x: number,
  y: number,
  cx: number,
  cy: number,
): void {
  result.counts[i] = n;
  result.smooth[i] = n >= maxIter ? INTERIOR_SMOOTH : smoothEscapeValue(n, maxIter, x, y, cx, cy);
}

export function renderScalar(input: KernelInput, shortcuts: ScalarShortcuts = ALL_SCALAR_SHORTCUTS): EscapeResult {
  assertValidInput(input);
  const { width, height, maxIter } = input;
  const result: EscapeResult = { counts: new Uint32Array(width * height), smooth: new Float32Array(width * height) };
  // Cycle detection only pays where orbits are periodic, i.e. in the interior, and interior
  // pixels come in runs: arm it for a pixel when the previous pixel was interior.
  let previousInterior = false;
  // A pixel waiting for a partner to be iterated with (iteratePlainPair); -1: none.
  let pending = -1;
  let pendingCx = 0;
  let pendingCy = 0;
  let i = 0;
  for (let py = 0; py < height; py++) {
    const cy = pixelIm(input, py);
    for (let px = 0; px < width; px++, i++) {
      const cx = pixelRe(input, px);
      if (shortcuts.cardioidBulb && (inMainCardioid(cx, cy) || inPeriod2Bulb(cx, cy))) {
        writePixel(result, i, maxIter, maxIter, 0, 0, cx, cy);
        previousInterior = true;
        continue;
      }
      if (shortcuts.periodicity && previousInterior) {
        const n = iterateWithPeriodicity(cx, cy, maxIter);
        writePixel(result, i, n, maxIter, escapeX, escapeY, cx, cy);
        previousInterior = n >= maxIter;
        continue;
      }
      if (!shortcuts.pairedOrbits) {
        const n = continueOrbit(0, 0, 0, cx, cy, maxIter);
        writePixel(result, i, n, maxIter, escapeX, escapeY, cx, cy);
        previousInterior = n >= maxIter;
        continue;
      }
      if (pending < 0) {
        pending = i;
        pendingCx = cx;
        pendingCy = cy;
        continue;
      }
      iteratePlainPair(pendingCx, pendingCy, cx, cy, maxIter);
      writePixel(result, pending, pairResult.nA, maxIter, pairResult.xA, pairResult.yA, pendingCx, pendingCy);
      writePixel(result, i, pairResult.nB, maxIter, pairResult.xB, pairResult.yB, cx, cy);
      previousInterior = pairResult.nB >= maxIter;
      pending = -1;
    }
  }
  if (pending >= 0) {
    const n = continueOrbit(0, 0, 0, pendingCx, pendingCy, maxIter);
    writePixel(result, pending, n, maxIter, escapeX, escapeY, pendingCx, pendingCy);
  }
  return result;
}

export const scalarKernel: Kernel = { name: "scalar", render: (input) => renderScalar(input) };
