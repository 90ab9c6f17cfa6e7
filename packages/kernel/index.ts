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
 * The kernel to render with: `name` if given, else the FRACTILE_KERNEL environment
 * variable, else "wasm". "wasm" falls back to "scalar" where WebAssembly SIMD is missing.
 */
export function getKernel(name?: KernelName): Kernel {
  // `process` is absent in a browser bundle: there only the argument or the default applies.
  const fromEnv = typeof process === "undefined" ? undefined : process.env.FRACTILE_KERNEL;
  const wanted = name ?? fromEnv ?? "wasm";
  if (!isKernelName(wanted)) {
    throw new Error(`unknown kernel "${wanted}" (FRACTILE_KERNEL?); expected one of ${KERNELS.join(", ")}`);
  }
  if (wanted === "wasm" && !wasmSimdAvailable()) return scalarKernel;
  return KERNEL_BY_NAME[wanted];
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
