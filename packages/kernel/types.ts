/**
 * Contracts of the escape-time kernels. Every kernel computes, for each pixel,
 * the exact escape count under the workload's rules (see packages/kernel/README.md, "Workload"):
 * z0 = 0; n = the first k >= 1 with |z_k|^2 > 4, else maxIter; plain IEEE doubles,
 * no fused multiply-add; y' = 2*x*y + cy, x' = (x*x - y*y) + cx.
 */
export interface KernelInput {
  /** Real part of the tile's left edge. Pixel column px has cx = left + (px + 0.5) * step. */
  left: number;
  /** Imaginary part of the tile's top edge. Pixel row py has cy = top - (py + 0.5) * step. */
  top: number;
  /** Width of one pixel in the complex plane. */
  step: number;
  width: number;
  height: number;
  /** Iteration budget: pixels that have not escaped after maxIter steps count as interior. */
  maxIter: number;
}

export interface EscapeResult {
  /** Exact escape count per pixel, row-major; maxIter for interior pixels. */
  counts: Uint32Array;
  /**
   * Continuous escape value for colouring, row-major; -1 exactly for interior pixels
   * (count == maxIter), otherwise >= 0 and continuous across integer-count boundaries.
   */
  smooth: Float32Array;
}

export interface Kernel {
  readonly name: KernelName;
  render(input: KernelInput): EscapeResult;
}

export type KernelName = "wasm" | "scalar" | "reference";
