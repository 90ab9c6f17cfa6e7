import { wasmBytes } from "./build/kernel-wasm.js";
import { webAssembly, type WasmModule } from "./web-assembly";
import { assertValidInput } from "./pixel";
import { fillSmoothFallbacks } from "./smooth";
import type { EscapeResult, Kernel, KernelInput } from "./types";

/** The shortcuts of the wasm kernel, each exact on its own (bit values of assembly/kernel.ts FLAG_*). */
export interface WasmShortcuts {
  cardioidBulb: boolean;
  periodicity: boolean;
}

export const ALL_WASM_SHORTCUTS: WasmShortcuts = { cardioidBulb: true, periodicity: true };

interface KernelExports {
  memory: { buffer: ArrayBuffer };
  prepare(pixels: number): number;
  smoothIterationPointer(): number;
  smoothMagnitudePointer(): number;
  smoothPointer(): number;
  /** Returns the number of smooth values left to JS (NaN in the smooth array). */
  render(
    left: number,
    top: number,
    step: number,
    width: number,
    height: number,
    maxIter: number,
    flags: number,
  ): number;
}

let compiled: WasmModule | null | undefined;

function compiledModule(): WasmModule | null {
  if (compiled === undefined) {
    try {
      compiled = webAssembly ? new webAssembly.Module(wasmBytes) : null;
    } catch {
      compiled = null; // a runtime without WebAssembly SIMD rejects the module
    }
  }
  return compiled;
}

/** True when this runtime can compile the SIMD kernel. */
export function wasmSimdAvailable(): boolean {
  return compiledModule() !== null;
}

let instance: KernelExports | undefined;

function kernelExports(): KernelExports {
  if (!instance) {
    const module = compiledModule();
    if (!module || !webAssembly) throw new Error("WebAssembly SIMD is not available in this runtime");
    instance = new webAssembly.Instance(module, {}).exports as KernelExports;
  }
  return instance;
}

function flagBits(shortcuts: WasmShortcuts): number {
  return (shortcuts.cardioidBulb ? 1 : 0) | (shortcuts.periodicity ? 2 : 0);
}

export function renderWasm(input: KernelInput, shortcuts: WasmShortcuts = ALL_WASM_SHORTCUTS): EscapeResult {
  assertValidInput(input);
  const { width, height, maxIter } = input;
  const pixels = width * height;
  const wasm = kernelExports();
  const countsPtr = wasm.prepare(pixels);
  const fallbacks = wasm.render(input.left, input.top, input.step, width, height, maxIter, flagBits(shortcuts));
  // Views are taken after render: prepare() may have grown (and so replaced) the buffer.
  const buffer = wasm.memory.buffer;
  const counts = new Uint32Array(buffer, countsPtr, pixels).slice();
  const smooth = new Float32Array(buffer, wasm.smoothPointer(), pixels).slice();
  if (fallbacks > 0) {
    const iteration = new Float64Array(buffer, wasm.smoothIterationPointer(), pixels);
    const magnitudeSq = new Float64Array(buffer, wasm.smoothMagnitudePointer(), pixels);
    fillSmoothFallbacks(smooth, iteration, magnitudeSq);
  }
  return { counts, smooth };
}

export const wasmKernel: Kernel = { name: "wasm", render: (input) => renderWasm(input) };
