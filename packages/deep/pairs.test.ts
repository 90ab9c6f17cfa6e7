import { describe, expect, it } from "vitest";
import { anchorOf, computeReference, renderDeepTile, renderDeepView, type DeepOptions, type DeepResult } from "./index";
import { DEEP_LOCATIONS } from "./locations";

// The wasm loop steps two pixels at a time in one f64x2 (assembly/deep.ts pairSteps). Each lane
// must do exactly what the one-pixel loop does, so every count, smooth value and statistic of the
// work equals a render with pairs off.

function location(name: string) {
  const found = DEEP_LOCATIONS.find((l) => l.name === name);
  if (!found) throw new Error(`no location ${name}`);
  return found;
}

function renderBoth(
  tile: { z: number; x: bigint; y: bigint },
  maxIter: number,
  opts: DeepOptions = {},
): [DeepResult, DeepResult] {
  const input = { ...tile, scale: 1 as const, maxIter };
  const ref = computeReference(anchorOf(input), maxIter);
  // Proofs off: every pixel goes through the loop.
  const loopOnly = { ...opts, interiorProofs: false };
  return [
    renderDeepTile(input, ref, { ...loopOnly, pairs: true }),
    renderDeepTile(input, ref, { ...loopOnly, pairs: false }),
  ];
}

function expectSameWork(paired: DeepResult, single: DeepResult) {
  expect(paired.counts).toEqual(single.counts);
  expect(paired.smooth).toEqual(single.smooth);
  expect(paired.stats.perturbationSteps).toBe(single.stats.perturbationSteps);
  expect(paired.stats.blaSteps).toBe(single.stats.blaSteps);
  expect(paired.stats.rebases).toBe(single.stats.rebases);
  expect(single.stats.pairedSteps).toBe(0);
}

describe("two pixels per step", () => {
  it("give the one-pixel counts on the chaotic seahorse tile (rebases, BLA jumps, escapes), and run most steps paired", () => {
    // BLA forced: under this anchor it does not pay (bla-choice.ts), but the pair loop's jumps are
    // what this tile exercises best.
    const [paired, single] = renderBoth(location("seahorse p998 minibrot").tile, 8000, { bla: "always" });
    expectSameWork(paired, single);
    const run = paired.stats.perturbationSteps + paired.stats.blaSteps;
    expect(paired.stats.pairedSteps).toBeGreaterThan(0.8 * run);
    expect(paired.stats.blaSteps).toBeGreaterThan(0);
    expect(paired.stats.rebases).toBeGreaterThan(0);
  });

  it("give the one-pixel counts with BLA, rebasing or extended range off", () => {
    const tile = location("M24,1 at z200").tile;
    for (const opts of [{ bla: false }, { rebase: false }, { extendedRange: false, bla: false }]) {
      const [paired, single] = renderBoth(tile, 4000, opts);
      expectSameWork(paired, single);
      expect(paired.stats.pairedSteps).toBeGreaterThan(0);
    }
  });

  it("give the one-pixel counts where deltas are scaled doubles (z1000), where pairing gives way after its trial", () => {
    const [paired, single] = renderBoth(location("minibrot beside C = i at z1000").tile, 6000);
    expectSameWork(paired, single);
    // Mostly scaled deltas: pixels leave the pair loop every few steps, so each call of the loop
    // goes one pixel at a time after its trial and few steps run paired.
    const run = paired.stats.perturbationSteps + paired.stats.blaSteps;
    expect(paired.stats.pairedSteps).toBeLessThan(0.05 * run);
  });

  it("handle odd pixel counts and single pixels", () => {
    const seahorse = location("seahorse p998 minibrot");
    for (const [width, height] of [
      [7, 3],
      [1, 1],
      [1, 5],
    ]) {
      const view = { re: seahorse.re, im: seahorse.im, zoom: 50.5, width, height, maxIter: 6000 };
      const paired = renderDeepView(view, computeReference, { pairs: true });
      const single = renderDeepView(view, computeReference, { pairs: false });
      expect(paired.counts).toEqual(single.counts);
      expect(paired.smooth).toEqual(single.smooth);
    }
  });
});
