import { assertValidInput, pixelIm, pixelRe } from "./pixel";
import { FIRST_CHECKPOINT, inMainCardioid, inPeriod2Bulb } from "./shortcuts";
import { INTERIOR_SMOOTH, smoothEscapeValue } from "./smooth";
import type { EscapeResult, Kernel, KernelInput } from "./types";

/** Switches for the scalar kernel's exact shortcuts (all on by default). */
export interface ScalarShortcuts {
  cardioidBulb: boolean;
  periodicity: boolean;
}

export const ALL_SCALAR_SHORTCUTS: ScalarShortcuts = { cardioidBulb: true, periodicity: true };

// The escape value z_n of the last iterateWithPeriodicity or iteratePlain call that escaped
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

/** The plain escape loop, for pixels not expected to be interior. */
function iteratePlain(cx: number, cy: number, maxIter: number): number {
  let x = 0;
  let y = 0;
  for (let n = 1; n <= maxIter; n++) {
    const nextY = 2 * x * y + cy;
    x = x * x - y * y + cx;
    y = nextY;
    if (x * x + y * y > 4) {
      escapeX = x;
      escapeY = y;
      return n;
    }
  }
  return maxIter;
}

export function renderScalar(input: KernelInput, shortcuts: ScalarShortcuts = ALL_SCALAR_SHORTCUTS): EscapeResult {
  assertValidInput(input);
  const { width, height, maxIter } = input;
  const counts = new Uint32Array(width * height);
  const smooth = new Float32Array(width * height);
  // Cycle detection only pays where orbits are periodic, i.e. in the interior, and interior
  // pixels come in runs: arm it for a pixel when the previous pixel was interior.
  let previousInterior = false;
  let i = 0;
  for (let py = 0; py < height; py++) {
    const cy = pixelIm(input, py);
    for (let px = 0; px < width; px++, i++) {
      const cx = pixelRe(input, px);
      if (shortcuts.cardioidBulb && (inMainCardioid(cx, cy) || inPeriod2Bulb(cx, cy))) {
        counts[i] = maxIter;
        smooth[i] = INTERIOR_SMOOTH;
        previousInterior = true;
        continue;
      }
      const n: number = shortcuts.periodicity && previousInterior ? iterateWithPeriodicity(cx, cy, maxIter) : iteratePlain(cx, cy, maxIter);
      previousInterior = n >= maxIter;
      counts[i] = n;
      smooth[i] = n >= maxIter ? INTERIOR_SMOOTH : smoothEscapeValue(n, maxIter, escapeX, escapeY, cx, cy);
    }
  }
  return { counts, smooth };
}

export const scalarKernel: Kernel = { name: "scalar", render: (input) => renderScalar(input) };
