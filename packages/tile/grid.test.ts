import { describe, expect, it } from "vitest";
import { FLOAT64_GRID_MAX_ZOOM, MAX_BUDGET, MAX_ZOOM, iterationBudget, tileBounds, type TileScale } from "./index";

// The tiles of the shared benchmark workload (packages/kernel/workload.json), copied
// so this test does not depend on a file outside the repository.
const workload = {
  tiles: [
    { name: "overview  z0", z: 0, x: 0, y: 0, maxIter: 1000, left: "-2.5", top: "2" },
    { name: "interior  z3", z: 3, x: 4, y: 3, maxIter: 1000, left: "-0.5", top: "0.5" },
    { name: "exterior  z2", z: 2, x: 0, y: 0, maxIter: 1000, left: "-2.5", top: "2" },
    { name: "bulb+nbhd z2", z: 2, x: 1, y: 1, maxIter: 1000, left: "-1.5", top: "1" },
    { name: "p3-bulb   z3", z: 3, x: 4, y: 2, maxIter: 1000, left: "-0.5", top: "1" },
    { name: "seahorse  z4", z: 4, x: 7, y: 7, maxIter: 1000, left: "-0.75", top: "0.25" },
    { name: "elephant  z4", z: 4, x: 11, y: 7, maxIter: 1000, left: "0.25", top: "0.25" },
    {
      name: "seahorse z20",
      z: 20,
      x: 460417,
      y: 489730,
      maxIter: 1000,
      left: "-0.74364852905273438",
      top: "0.13182830810546875",
    },
    {
      name: "seahorse z40",
      z: 40,
      x: 482783492179,
      y: 513519785259,
      maxIter: 10000,
      left: "-0.74364388703907025",
      top: "0.13182590420547058",
    },
  ],
};

describe("tileBounds", () => {
  it("zoom 0 is one tile over re [-2.5, 1.5] × im [-2, 2]", () => {
    expect(tileBounds(0, 0, 0)).toEqual({ left: -2.5, top: 2, step: 4 / 256, width: 256, height: 256 });
  });

  it("an @2x tile covers the same square with 512 pixels per side", () => {
    const one = tileBounds(3, 5, 2, 1);
    const two = tileBounds(3, 5, 2, 2);
    expect(two.left).toBe(one.left);
    expect(two.top).toBe(one.top);
    expect(two.width * two.step).toBe(one.width * one.step);
    expect(two.width).toBe(512);
  });

  it("matches the benchmark workload's edges for all its tiles", () => {
    for (const tile of workload.tiles) {
      const b = tileBounds(tile.z, tile.x, tile.y);
      expect(b.left, tile.name).toBe(Number(tile.left));
      expect(b.top, tile.name).toBe(Number(tile.top));
    }
  });

  it("neighbouring tiles at the deepest float64 grid zoom do not overlap or leave a gap", () => {
    const x = 2 ** FLOAT64_GRID_MAX_ZOOM - 2;
    const a = tileBounds(FLOAT64_GRID_MAX_ZOOM, x, 7, 2);
    const b = tileBounds(FLOAT64_GRID_MAX_ZOOM, x + 1, 7, 2);
    expect(a.left + a.width * a.step).toBe(b.left);
    expect(b.left + b.width * b.step).toBe(1.5);
    expect(() => tileBounds(FLOAT64_GRID_MAX_ZOOM + 1, 0n, 0n)).toThrow(RangeError);
  });
});

describe("iterationBudget", () => {
  it("is the workload's maxIter for every workload tile, so benchmark tiles are real tiles", () => {
    for (const tile of workload.tiles) expect(iterationBudget(tile.z), tile.name).toBe(tile.maxIter);
  });

  it("never decreases with zoom and grows past zoom 20", () => {
    for (const scale of [1, 2] as TileScale[]) {
      for (let z = 1; z <= MAX_ZOOM; z++)
        expect(iterationBudget(z, scale)).toBeGreaterThanOrEqual(iterationBudget(z - 1, scale));
    }
    expect(iterationBudget(MAX_ZOOM)).toBeGreaterThan(iterationBudget(20));
  });

  it("gives an @2x tile the budget of the 1x tiles one zoom deeper (same pixel size)", () => {
    for (let z = 0; z < MAX_ZOOM; z++) expect(iterationBudget(z, 2)).toBe(iterationBudget(z + 1, 1));
  });

  it("bounds the worst float64 tile (z32 @2x, 512 px, all pixels at the budget) below 1.5e9 iterations", () => {
    const worst = 512 * 512 * iterationBudget(32, 2);
    expect(worst).toBeLessThan(1.5e9);
    expect(iterationBudget(1000)).toBe(MAX_BUDGET);
  });

  it("keeps every budget to z32 (both scales) at the pre-deep-zoom rule: shallow golden tiles keep their bytes", () => {
    // The rule as it was before deep zoom, restated as the specification of the shallow budgets.
    const shallow = (e: number) => (e > 20 ? Math.min(10_000, Math.round(1000 * 10 ** ((e - 20) / 20))) : 1000);
    for (const scale of [1, 2] as TileScale[]) {
      for (let z = 0; z <= 32; z++)
        expect(iterationBudget(z, scale), `z${z} @${scale}x`).toBe(shallow(z + Math.log2(scale)));
    }
  });

  it("reaches what deep structure needs and then stays at MAX_BUDGET to any depth", () => {
    expect(iterationBudget(52)).toBeGreaterThanOrEqual(30_000); // period-998 minibrot near the seahorse point
    expect(MAX_BUDGET).toBe(50_000);
    let previous = 0;
    for (let z = 0; z <= 5000; z++) {
      for (const scale of [1, 2] as TileScale[]) {
        const b = iterationBudget(z, scale);
        expect(Number.isInteger(b) && b >= previous && b <= MAX_BUDGET, `z${z} @${scale}x: ${b}`).toBe(true);
      }
      previous = iterationBudget(z, 1);
    }
    expect(iterationBudget(54)).toBe(MAX_BUDGET);
    expect(iterationBudget(2000, 2)).toBe(MAX_BUDGET);
  });
});
