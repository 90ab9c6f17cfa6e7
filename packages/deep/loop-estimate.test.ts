import { describe, expect, it } from "vitest";
import { periodThreeBoundaryTile } from "../../scripts/deep/cases";
import { DEEP_LOCATIONS } from "./locations";
import { countGrids, LoopTooCostlyError, renderDeepTile, renderDeepTileWith } from "./render";
import type { DeepTileInput } from "./geometry";

const seahorse = DEEP_LOCATIONS.find((l) => l.name === "seahorse p998 minibrot")!.tile;

// Small budgets keep these fast; the estimate's shape does not depend on the budget.
const TILES: [string, DeepTileInput][] = [
  ["chaotic: seahorse p998 at z50", { ...seahorse, scale: 1, maxIter: 4000 }],
  // At z36 1x, the tile where the loop ran 8 % more steps than pixels × budget.
  ["boundary: period-3 bulb at z36", { ...periodThreeBoundaryTile(36), maxIter: 3000 }],
];

describe("the loop's cost estimate (DeepStats.estimatedLoopSteps)", () => {
  for (const [name, input] of TILES) {
    it(`${name}: deterministic, and at least the steps the loop then runs`, () => {
      const first = renderDeepTile(input).stats;
      const second = renderDeepTile(input).stats;
      expect(first.estimatedLoopSteps).toBeGreaterThan(0);
      expect(second.estimatedLoopSteps).toBe(first.estimatedLoopSteps);
      // Probes included in the steps run: the estimate covers the whole loop, not just what is left.
      expect(first.estimatedLoopSteps).toBeGreaterThanOrEqual(first.perturbationSteps + first.blaSteps);
    });
  }

  it("maxLoopSteps refuses a tile over it before counting, and changes nothing under it", async () => {
    const [, input] = TILES[0];
    const free = renderDeepTile(input);
    const estimate = free.stats.estimatedLoopSteps;
    expect(() => renderDeepTile(input, undefined, { maxLoopSteps: estimate - 1 })).toThrow(LoopTooCostlyError);
    const threaded = renderDeepTileWith(async (...args) => countGrids(...args), input, undefined, {
      maxLoopSteps: estimate - 1,
    });
    await expect(threaded).rejects.toMatchObject({ estimatedSteps: estimate, maxLoopSteps: estimate - 1 });
    const admitted = renderDeepTile(input, undefined, { maxLoopSteps: estimate });
    expect(admitted.counts).toEqual(free.counts);
    expect(admitted.smooth).toEqual(free.smooth);
  });
});
