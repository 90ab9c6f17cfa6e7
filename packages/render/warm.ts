import { warmUpKernel } from "../kernel/index";
import { renderTilePng } from "./tile";

/**
 * Compiles the kernel (wasm) and runs the whole tile path once on a cheap
 * tile, so V8 has tiered up colour mapping, filtering and zlib before the
 * first real request.
 */
export function warmUp(): void {
  warmUpKernel();
  renderTilePng({ z: 2, x: 0n, y: 1n, scale: 1, palette: "classic" });
}
