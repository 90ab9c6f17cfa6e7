/**
 * Truth: deep tiles against direct BigInt iteration of sampled pixel centres (README "Truth").
 * Classification must agree on >= 99 % of samples; counts of escaped samples must agree exactly on
 * most and within 10 on nearly all (chaotic pixels near minibrots differ by more: README).
 */
import { describe, expect, it } from "vitest";
import { renderDeepTile, type DeepTileInput } from "./index";
import { compareWithTruth } from "./truth-samples";

const corner = (z: number) => ({ x: 5n << BigInt(z - 3), y: 1n << BigInt(z - 2) }); // top-left = C = i

const TILES: { name: string; input: DeepTileInput; perSide: number }[] = [
  { name: "C = i, z50", input: { z: 50, ...corner(50), scale: 1, maxIter: 3000 }, perSide: 16 },
  {
    name: "seahorse p998 minibrot, z50",
    input: { z: 50, x: 494370295991834n, y: 525844260105260n, scale: 1, maxIter: 20000 },
    perSide: 16,
  },
  { name: "C = i, z200 @2x", input: { z: 200, ...corner(200), scale: 2, maxIter: 3000 }, perSide: 16 },
  { name: "C = i, z600", input: { z: 600, ...corner(600), scale: 1, maxIter: 3000 }, perSide: 16 },
  { name: "C = i, z1000", input: { z: 1000, ...corner(1000), scale: 1, maxIter: 3000 }, perSide: 16 },
  { name: "C = i, z2000", input: { z: 2000, ...corner(2000), scale: 1, maxIter: 3000 }, perSide: 8 },
];

describe("deep tiles agree with direct BigInt iteration", () => {
  for (const { name, input, perSide } of TILES) {
    it(name, () => {
      const { counts } = renderDeepTile(input);
      const t = compareWithTruth(input, counts, perSide);
      expect(t.classAgree / t.samples).toBeGreaterThanOrEqual(0.99);
      expect(t.exact / t.escapedBoth).toBeGreaterThanOrEqual(0.9);
      expect((t.exact + t.within2 + t.within10) / t.escapedBoth).toBeGreaterThanOrEqual(0.95);
    }, 120_000);
  }
});
