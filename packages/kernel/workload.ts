import type { KernelInput } from "./types";

/**
 * The benchmark workload (packages/kernel/workload.json, provenance in the README):
 * nine 256x256 tiles with the checksums every kernel must reproduce exactly.
 * Pure helpers only; reading the file is the caller's job.
 */
export interface WorkloadTile {
  name: string;
  z: number;
  x: number;
  y: number;
  maxIter: number;
  left: string;
  top: string;
  sum: number;
  hash31: string;
}

export interface Workload {
  total_iterations: number;
  tiles: WorkloadTile[];
}

export const WORKLOAD_TILE_SIZE = 256;

/** Tile (z, x, y) -> kernel input, by the grid convention of the workload README. */
export function workloadInput(tile: WorkloadTile): KernelInput {
  const size = 4 / 2 ** tile.z;
  const left = -2.5 + tile.x * size;
  const top = 2 - tile.y * size;
  // The file also records left/top as decimal strings: a mismatch means the grid convention drifted.
  if (left !== Number(tile.left) || top !== Number(tile.top)) {
    throw new Error(
      `workload tile "${tile.name}": computed corner (${left}, ${top}) differs from (${tile.left}, ${tile.top})`,
    );
  }
  const step = size / WORKLOAD_TILE_SIZE;
  return { left, top, step, width: WORKLOAD_TILE_SIZE, height: WORKLOAD_TILE_SIZE, maxIter: tile.maxIter };
}

export interface Checksums {
  sum: number;
  hash31: string;
}

const MASK64 = (1n << 64n) - 1n;

/** sum of counts, and h = h*31 + n (mod 2^64) in row-major order, as 16 hex digits. */
export function checksums(counts: Uint32Array): Checksums {
  let sum = 0;
  let h = 0n;
  for (let i = 0; i < counts.length; i++) {
    sum += counts[i];
    h = (h * 31n + BigInt(counts[i])) & MASK64;
  }
  return { sum, hash31: h.toString(16).padStart(16, "0") };
}
