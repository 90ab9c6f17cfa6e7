import type { KernelInput } from "./types";

// The pixel-centre formulas, evaluated in exactly this order by every kernel
// (the wasm kernel repeats them in assembly/): a different order changes the
// last bit of c and so, near the boundary, the escape count.
export function pixelRe(input: KernelInput, px: number): number {
  return input.left + (px + 0.5) * input.step;
}

export function pixelIm(input: KernelInput, py: number): number {
  return input.top - (py + 0.5) * input.step;
}

/**
 * Largest image one render call accepts: 4096 x 4096. The wasm kernel keeps 24 bytes per pixel
 * in its linear memory; callers bound their sizes far below this anyway.
 */
export const MAX_KERNEL_PIXELS = 1 << 24;

/** Rejects inputs no kernel can honour, so a bad caller fails loudly rather than rendering garbage. */
export function assertValidInput(input: KernelInput): void {
  const { left, top, step, width, height, maxIter } = input;
  if (!Number.isFinite(left) || !Number.isFinite(top) || !Number.isFinite(step) || !(step > 0)) {
    throw new RangeError(`kernel input: left, top must be finite and step > 0 (got ${left}, ${top}, ${step})`);
  }
  for (const [name, v] of [
    ["width", width],
    ["height", height],
    ["maxIter", maxIter],
  ] as const) {
    if (!Number.isInteger(v) || v < 1 || v > 0x7fffffff) {
      throw new RangeError(`kernel input: ${name} must be a positive integer (got ${v})`);
    }
  }
  if (width * height > MAX_KERNEL_PIXELS) {
    throw new RangeError(
      `kernel input: width * height must be at most ${MAX_KERNEL_PIXELS} (got ${width} x ${height})`,
    );
  }
}
