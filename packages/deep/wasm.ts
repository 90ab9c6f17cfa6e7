/** The wasm perturbation loop (assembly/deep.ts): placeholder until the module is built. */
import type { PixelGrid } from "./geometry";
import type { PixelCounts } from "./perturb";
import type { ReferenceOrbit } from "./reference";

export function deepWasmAvailable(): boolean {
  return false;
}

export function blaTableOf(_ref: ReferenceOrbit): { builtNow: boolean } | undefined {
  return undefined;
}

export function perturbGridWasm(
  _ref: ReferenceOrbit,
  _grid: PixelGrid,
  _maxIter: number,
  _opts: { bla: boolean; rebase?: boolean; extendedRange?: boolean },
): PixelCounts {
  throw new Error("WebAssembly deep kernel not available");
}
