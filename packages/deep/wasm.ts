/**
 * The wasm perturbation loop (assembly/deep.ts) and its BLA table, built per reference orbit and
 * kept beside it (WeakMap: built at the first tile that needs it), so every tile under an anchor uses the same table without rebuilding.
 */
import { wasmBytes } from "./build/deep-wasm.js";
import { webAssembly } from "../kernel/web-assembly";
import type { PixelGrid } from "./geometry";
import type { PixelCounts } from "./perturb";
import type { ReferenceOrbit } from "./reference";

/**
 * BLA validity: the dropped non-linear term must stay below BLA_EPSILON relative to the linear part
 * (README "BLA"); chosen against the truth tests.
 */
export const BLA_EPSILON = 2 ** -32;

/** Rows per call of the wasm loop (same counts for any value: each pixel is independent). */
const ROWS_PER_CALL = 4;

interface DeepExports {
  memory: { buffer: ArrayBuffer };
  layout(length: number, pixels: number): number;
  refRePointer(): number;
  refImPointer(): number;
  tablePointer(): number;
  tableByteLength(): number;
  countsPointer(): number;
  escapeRePointer(): number;
  escapeImPointer(): number;
  stepsRun(): number;
  blaStepsRun(): number;
  rebasesMade(): number;
  pairedStepsRun(): number;
  buildTable(cmaxExp: number, epsilon: number): void;
  render(
    width: number,
    rowStart: number,
    rowEnd: number,
    c0re: number,
    c0im: number,
    step: number,
    exponent: number,
    maxIter: number,
    flags: number,
  ): void;
}

let instance: DeepExports | null | undefined;

function exportsOrNull(): DeepExports | null {
  if (instance === undefined) {
    try {
      instance = webAssembly
        ? (new webAssembly.Instance(new webAssembly.Module(wasmBytes), {}).exports as DeepExports)
        : null;
    } catch {
      instance = null;
    }
  }
  return instance;
}

export function deepWasmAvailable(): boolean {
  return exportsOrNull() !== null;
}

/** What the wasm memory currently holds: which reference, with or without its table. */
let loadedRef: ReferenceOrbit | undefined;
let loadedPixels = 0;
let loadedTable = false;
const tables = new WeakMap<ReferenceOrbit, Uint8Array>();

/**
 * |c|max of an anchor: twice its side 4/2^z, i.e. 2^(3 − z): more than the offset of any pixel of the
 * anchor from any reference point inside it (at most the diagonal, √2 sides).
 */
function cmaxExponent(ref: ReferenceOrbit): number {
  return 3 - ref.anchor.z;
}

function load(ref: ReferenceOrbit, pixels: number, withTable: boolean): number {
  const wasm = exportsOrNull();
  if (!wasm) throw new Error("WebAssembly is not available");
  let tableMs = 0;
  if (loadedRef !== ref || pixels > loadedPixels) {
    if (wasm.layout(ref.re.length, pixels) !== 0) throw new Error("deep wasm: out of memory");
    new Float64Array(wasm.memory.buffer, wasm.refRePointer(), ref.re.length).set(ref.re);
    new Float64Array(wasm.memory.buffer, wasm.refImPointer(), ref.im.length).set(ref.im);
    loadedRef = ref;
    loadedPixels = pixels;
    loadedTable = false;
  }
  if (withTable && !loadedTable) {
    const cached = tables.get(ref);
    const target = () => new Uint8Array(wasm.memory.buffer, wasm.tablePointer(), wasm.tableByteLength());
    if (cached) target().set(cached);
    else {
      const started = performance.now();
      wasm.buildTable(cmaxExponent(ref), BLA_EPSILON);
      tables.set(ref, target().slice());
      tableMs = performance.now() - started;
    }
    loadedTable = true;
  }
  return tableMs;
}

export function perturbGridWasm(
  ref: ReferenceOrbit,
  grid: PixelGrid,
  maxIter: number,
  opts: { bla: boolean; rebase?: boolean; extendedRange?: boolean; pairs?: boolean },
): PixelCounts & { tableMs: number } {
  const pixels = grid.width * grid.height;
  const tableMs = load(ref, pixels, opts.bla);
  const wasm = exportsOrNull()!;
  const flags =
    (opts.bla ? 1 : 0) |
    (opts.rebase !== false ? 2 : 0) |
    (opts.extendedRange !== false ? 4 : 0) |
    (opts.pairs === false ? 8 : 0);
  // Row by row: V8 runs a wasm call to its end in the code it started with, and the first calls run
  // baseline (Liftoff) code, 3x slower; TurboFan code serves the calls after tier-up. One call for a
  // whole tile in a fresh process ran 3x longer than the same call warm (README "Interior tiles: BLA
  // at shallow depth, wasm tier-up, the cardioid shortcut").
  let steps = 0;
  let blaSteps = 0;
  let rebases = 0;
  let pairedSteps = 0;
  for (let row = 0; row < grid.height; row += ROWS_PER_CALL) {
    const end = Math.min(grid.height, row + ROWS_PER_CALL);
    wasm.render(grid.width, row, end, grid.c0re, grid.c0im, grid.step, grid.exponent, maxIter, flags);
    steps += wasm.stepsRun();
    blaSteps += wasm.blaStepsRun();
    rebases += wasm.rebasesMade();
    pairedSteps += wasm.pairedStepsRun();
  }
  const buffer = wasm.memory.buffer;
  return {
    counts: new Uint32Array(buffer, wasm.countsPointer(), pixels).slice(),
    escapeRe: new Float64Array(buffer, wasm.escapeRePointer(), pixels).slice(),
    escapeIm: new Float64Array(buffer, wasm.escapeImPointer(), pixels).slice(),
    steps,
    blaSteps,
    rebases,
    pairedSteps,
    tableMs,
  };
}
