/**
 * Direct arbitrary-precision iteration of one pixel centre (BigInt fixed point): the truth the
 * perturbation loop is tested against. Slow (µs per iteration); for sampled pixels only.
 */
export function escapeCountFixed(re: bigint, im: bigint, fracBits: number, maxIter: number): number {
  const F = BigInt(fracBits);
  const F1 = F - 1n;
  const four = 4n << F;
  let x = 0n;
  let y = 0n;
  for (let n = 1; n <= maxIter; n++) {
    const x2 = (x * x) >> F;
    const y2 = (y * y) >> F;
    const xy = (x * y) >> F1;
    x = x2 - y2 + re;
    y = xy + im;
    if (((x * x) >> F) + ((y * y) >> F) > four) return n;
  }
  return maxIter;
}
