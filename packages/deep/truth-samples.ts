/**
 * Compares a deep tile's counts with direct BigInt iteration of sampled pixel centres (truth.ts):
 * the distribution the truth tests assert and the README reports.
 */
import type { DeepTileInput } from "./geometry";
import { escapeCountFixed } from "./truth";

export interface TruthComparison {
  samples: number;
  /** Both interior or both escaped. */
  classAgree: number;
  /** Escaped in both, by count difference |perturbation − truth|: 0, 1–2, 3–10, more. */
  exact: number;
  within2: number;
  within10: number;
  beyond10: number;
  /** Samples escaped in both. */
  escapedBoth: number;
}

/** Guard bits of the truth iteration beyond the pixel unit 2^-(z+8). */
const TRUTH_GUARD_BITS = 64;

export function compareWithTruth(input: DeepTileInput, counts: Uint32Array, perSide: number): TruthComparison {
  const side = 256 * input.scale;
  const stride = side / perSide;
  const unit = input.z + 8; // pixel centres are integers at 2^-(z+8)
  const fracBits = unit + TRUTH_GUARD_BITS;
  const lift = BigInt(TRUTH_GUARD_BITS);
  const du = 4 / input.scale;
  const out: TruthComparison = {
    samples: 0,
    classAgree: 0,
    exact: 0,
    within2: 0,
    within10: 0,
    beyond10: 0,
    escapedBoth: 0,
  };
  for (let py = stride >> 1; py < side; py += stride) {
    for (let px = stride >> 1; px < side; px += stride) {
      const re = (-5n << BigInt(input.z + 7)) + (input.x << 10n) + BigInt(du * px + du / 2);
      const im = (1n << BigInt(input.z + 9)) - (input.y << 10n) - BigInt(du * py + du / 2);
      const truth = escapeCountFixed(re << lift, im << lift, fracBits, input.maxIter);
      const got = counts[py * side + px];
      out.samples++;
      const interiorTruth = truth >= input.maxIter;
      const interiorGot = got >= input.maxIter;
      if (interiorTruth === interiorGot) out.classAgree++;
      if (interiorTruth || interiorGot) continue;
      out.escapedBoth++;
      const d = Math.abs(got - truth);
      if (d === 0) out.exact++;
      else if (d <= 2) out.within2++;
      else if (d <= 10) out.within10++;
      else out.beyond10++;
    }
  }
  return out;
}
