import { assertValidInput, pixelIm, pixelRe } from "./pixel";
import { smoothEscapeValue } from "./smooth";
import type { EscapeResult, Kernel, KernelInput } from "./types";

/**
 * The naive scalar kernel: one pixel at a time, no shortcut of any kind. It defines
 * the escape counts (the workload's checksums were made this way) and is the
 * benchmark's baseline. Keep it naive: every optimisation belongs in another kernel.
 */
export function renderReference(input: KernelInput): EscapeResult {
  assertValidInput(input);
  const { width, height, maxIter } = input;
  const counts = new Uint32Array(width * height);
  const smooth = new Float32Array(width * height);
  let i = 0;
  for (let py = 0; py < height; py++) {
    const cy = pixelIm(input, py);
    for (let px = 0; px < width; px++, i++) {
      const cx = pixelRe(input, px);
      let x = 0;
      let y = 0;
      let n = 0;
      while (n < maxIter) {
        const nextY = 2 * x * y + cy;
        x = x * x - y * y + cx;
        y = nextY;
        n++;
        if (x * x + y * y > 4) break;
      }
      counts[i] = n;
      smooth[i] = smoothEscapeValue(n, maxIter, x, y, cx, cy);
    }
  }
  return { counts, smooth };
}

export const referenceKernel: Kernel = { name: "reference", render: renderReference };
