import { referenceKernel } from "./reference";
import type { Kernel, KernelName } from "./types";

export type { EscapeResult, Kernel, KernelInput, KernelName } from "./types";

export const KERNELS: readonly KernelName[] = ["wasm", "scalar", "reference"];

/**
 * The kernel to render with. Temporary first version: every name resolves to the naive
 * reference until the optimised kernels land (same counts, only slower).
 */
export function getKernel(name?: KernelName): Kernel {
  const wanted = name ?? (process.env.FRACTILE_KERNEL as KernelName | undefined) ?? "wasm";
  if (!KERNELS.includes(wanted)) throw new Error(`unknown kernel "${wanted}"; expected one of ${KERNELS.join(", ")}`);
  return referenceKernel;
}

/** Renders a small tile so V8 compiles the hot loops before the first real request. */
export function warmUpKernel(): void {
  getKernel().render({ left: -2.5, top: 2, step: 4 / 64, width: 64, height: 64, maxIter: 200 });
}
