import { wasmBytes } from "./build/kernel-wasm.js";
import { assertValidInput, pixelIm, pixelRe } from "./pixel";
import { INTERIOR_SMOOTH, smoothEscapeValue } from "./smooth";
import type { EscapeResult, Kernel, KernelInput } from "./types";

/** The shortcuts of the wasm kernel, each exact on its own (bit values of assembly/kernel.ts FLAG_*). */
export interface WasmShortcuts {
  cardioidBulb: boolean;
  periodicity: boolean;
}

export const ALL_WASM_SHORTCUTS: WasmShortcuts = { cardioidBulb: true, periodicity: true };

interface KernelExports {
  memory: WebAssembly.Memory;
  prepare(pixels: number): number;
  escapeXPointer(): number;
  escapeYPointer(): number;
  render(left: number, top: number, step: number, width: number, height: number, maxIter: number, flags: number): void;
}

let compiled: WebAssembly.Module | null | undefined;

function compiledModule(): WebAssembly.Module | null {
  if (compiled === undefined) {
    try {
      compiled = new WebAssembly.Module(wasmBytes as Uint8Array<ArrayBuffer>);
    } catch {
      compiled = null; // no WebAssembly SIMD in this runtime
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
    if (!module) throw new Error("WebAssembly SIMD is not available in this runtime");
    instance = new WebAssembly.Instance(module, {}).exports as unknown as KernelExports;
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
  wasm.render(input.left, input.top, input.step, width, height, maxIter, flagBits(shortcuts));
  // Views are taken after render: prepare() may have grown (and so replaced) the buffer.
  const buffer = wasm.memory.buffer;
  const counts = new Uint32Array(buffer, countsPtr, pixels).slice();
  const escapeX = new Float64Array(buffer, wasm.escapeXPointer(), pixels);
  const escapeY = new Float64Array(buffer, wasm.escapeYPointer(), pixels);
  const smooth = new Float32Array(pixels);
  let i = 0;
  for (let py = 0; py < height; py++) {
    const cy = pixelIm(input, py);
    for (let px = 0; px < width; px++, i++) {
      const n = counts[i];
      smooth[i] = n >= maxIter ? INTERIOR_SMOOTH : smoothEscapeValue(n, maxIter, escapeX[i], escapeY[i], pixelRe(input, px), cy);
    }
  }
  return { counts, smooth };
}

export const wasmKernel: Kernel = { name: "wasm", render: (input) => renderWasm(input) };
