/**
 * Direct arbitrary-precision iteration of one pixel centre (BigInt fixed point): the truth the
 * perturbation loop is tested against. Slow (µs per iteration); for sampled pixels only.
 */
import { iterateOrbit } from "./cycle";

export function escapeCountFixed(re: bigint, im: bigint, fracBits: number, maxIter: number): number {
  return iterateOrbit(re, im, fracBits, maxIter).count;
}
