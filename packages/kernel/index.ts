import { referenceKernel } from "./reference";
import { scalarKernel } from "./scalar";
import type { Kernel, KernelName } from "./types";
import { wasmKernel, wasmSimdAvailable } from "./wasm";

export type { EscapeResult, Kernel, KernelInput, KernelName } from "./types";

/** Every selectable kernel; all of them produce identical counts and smooth values. */
export const KERNELS: readonly KernelName[] = ["wasm", "scalar", "reference"];

const KERNEL_BY_NAME: Record<KernelName, Kernel> = {
  wasm: wasmKernel,
  scalar: scalarKernel,
  reference: referenceKernel,
};

function isKernelName(name: string): name is KernelName {
  return (KERNELS as readonly string[]).includes(name);
}

/**
 * The kernel named (default "wasm", which falls back to "scalar" where WebAssembly SIMD is
 * missing). Callers that take the name from configuration pass it in; unknown names throw.
 */
export function getKernel(name: string = "wasm"): Kernel {
  if (!isKernelName(name)) throw new Error(`unknown kernel "${name}"; expected one of ${KERNELS.join(", ")}`);
  if (name === "wasm" && !wasmSimdAvailable()) return scalarKernel;
  return KERNEL_BY_NAME[name];
}

const WARM_UP_RENDERS = 8;

/**
 * Renders a few small tiles so V8 has optimised the hot code (wasm starts in its baseline
 * compiler, about 2x slower; JS starts interpreted) before the first real request.
 */
export function warmUpKernel(kernel: Kernel = getKernel()): void {
  for (let i = 0; i < WARM_UP_RENDERS; i++) {
    kernel.render({ left: -2.5, top: 2, step: 4 / 64, width: 64, height: 64, maxIter: 500 });
  }
}
