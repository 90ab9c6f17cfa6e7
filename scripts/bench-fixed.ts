/**
 * Cost of one reference-orbit iteration in BigInt fixed point (packages/deep/fixed.ts) by precision.
 *
 *   npx tsx scripts/bench-fixed.ts [iterations=3000] [runs=5]
 *
 * Iterates Z ← Z² + C at an interior point of the period-3 bulb (never escapes) whose digits fill
 * every fraction bit, with three multiplications per step (x², y², x·y) as a reference orbit does,
 * and once more with each Z rounded to float64 (the value a perturbation kernel stores). Prints
 * the median µs per iteration over `runs` runs. Results: packages/deep/README.md, "Fixed point".
 */
import { fixedToFloat64, parseDecimal } from "../packages/deep/fixed";

const iterations = Number(process.argv[2] ?? 3000);
const runs = Number(process.argv[3] ?? 5);
// −0.122561166876654 + 0.744861766619744i is the period-3 nucleus; the digits after it fill the bits.
const digits = "1234567890".repeat(130);
const re = `-0.122561166876654${digits}`;
const im = `0.744861766619744${digits}`;

function orbit(bits: number, toDouble: boolean): number {
  const b = BigInt(bits);
  const cr = parseDecimal(re, bits);
  const ci = parseDecimal(im, bits);
  const four = 4n << b;
  let x = 0n;
  let y = 0n;
  const store = new Float64Array(toDouble ? 2 * iterations : 0);
  const start = performance.now();
  for (let n = 0; n < iterations; n++) {
    const x2 = (x * x) >> b;
    const y2 = (y * y) >> b;
    if (x2 + y2 > four) throw new Error("escaped");
    const xy = (x * y) >> (b - 1n);
    x = x2 - y2 + cr;
    y = xy + ci;
    if (toDouble) {
      store[2 * n] = fixedToFloat64(x, bits);
      store[2 * n + 1] = fixedToFloat64(y, bits);
    }
  }
  return ((performance.now() - start) * 1000) / iterations;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`| fraction bits | µs per iteration | with Z rounded to float64 |`);
console.log(`|---:|---:|---:|`);
for (const bits of [256, 1024, 2048, 4096]) {
  orbit(bits, true); // warm up
  const plain: number[] = [];
  const stored: number[] = [];
  for (let r = 0; r < runs; r++) {
    plain.push(orbit(bits, false));
    stored.push(orbit(bits, true));
  }
  console.log(`| ${bits} | ${median(plain).toFixed(2)} | ${median(stored).toFixed(2)} |`);
}
