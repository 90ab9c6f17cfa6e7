/**
 * BLA where it pays, decided per anchor (bla-choice.ts, README "BLA where it pays"): the decision
 * follows the work it measures, every tile under the anchor follows the decision, and it travels
 * with the stored orbit.
 */
import { describe, expect, it } from "vitest";
import { periodThreeBoundaryTile } from "../../scripts/deep/cases";
import { BLA_JUMP_COST_IN_STEPS, blaChoiceGrid } from "./bla-choice";
import {
  anchorOf,
  computeReference,
  decodeReference,
  encodeReference,
  renderDeepTile,
  type DeepTileInput,
} from "./index";
import { DEEP_LOCATIONS } from "./locations";
import { compareWithTruth } from "./truth-samples";
import { perturbGridWasm } from "./wasm";

function locationTile(name: string, maxIter: number): DeepTileInput {
  const found = DEEP_LOCATIONS.find((l) => l.name === name);
  if (!found) throw new Error(`no location ${name}`);
  return { ...found.tile, scale: 1, maxIter };
}

/** The sample's work with and without BLA, counted here from the loop's own statistics. */
function sampleWork(input: DeepTileInput) {
  const ref = computeReference(anchorOf(input), input.maxIter);
  const grid = blaChoiceGrid(ref);
  const on = perturbGridWasm(ref, grid, input.maxIter, { bla: true });
  const off = perturbGridWasm(ref, grid, input.maxIter, { bla: false });
  return { ref, withBla: on.steps + BLA_JUMP_COST_IN_STEPS * on.blaSteps, without: off.steps };
}

describe("BLA where it pays", () => {
  it("stays on where its jumps skip long stretches (a Misiurewicz point, a minibrot) and the tile then uses it", () => {
    for (const name of ["M24,1 at z200", "minibrot beside C = i at z1000"]) {
      const input = locationTile(name, 8000);
      const { ref, withBla, without } = sampleWork(input);
      expect(withBla * 3).toBeLessThan(without);
      expect(ref.blaPays).toBe(true);
      const tile = renderDeepTile(input, ref);
      expect(tile.stats.blaSteps).toBeGreaterThan(0);
      expect(tile.counts).toEqual(renderDeepTile(input, ref, { bla: "always" }).counts);
    }
  });

  it("goes off where its jumps cost more than they skip (the outside of a component's boundary), and the tile is the per-step one", () => {
    const input = { ...periodThreeBoundaryTile(44), maxIter: 2000 }; // a smaller budget than its own: quicker
    const { ref, withBla, without } = sampleWork(input);
    expect(withBla).toBeGreaterThan(without);
    expect(ref.blaPays).toBe(false);
    const tile = renderDeepTile(input, ref, { interiorProofs: false });
    expect(tile.stats.blaSteps).toBe(0);
    expect(renderDeepTile(input, ref, { interiorProofs: false, bla: "always" }).stats.blaSteps).toBeGreaterThan(0);
  });

  it("on the chaotic seahorse tile: off, and the tile's counts are then the more truthful ones", () => {
    const input = locationTile("seahorse p998 minibrot", 20000);
    const { ref, withBla, without } = sampleWork(input);
    expect(withBla).toBeGreaterThan(without);
    expect(ref.blaPays).toBe(false);
    const chosen = renderDeepTile(input, ref);
    const forced = renderDeepTile(input, ref, { bla: "always" });
    expect(chosen.counts).toEqual(renderDeepTile(input, ref, { bla: false }).counts);
    const truthChosen = compareWithTruth(input, chosen.counts, 16);
    const truthForced = compareWithTruth(input, forced.counts, 16);
    expect(truthChosen.exact).toBeGreaterThan(truthForced.exact);
  });

  it("is stored with the orbit: decoded references keep it, and a flipped decision is rejected", () => {
    for (const name of ["M24,1 at z200", "seahorse p998 minibrot"]) {
      const input = locationTile(name, 3000);
      const anchor = anchorOf(input);
      const ref = computeReference(anchor, input.maxIter);
      const bytes = encodeReference(ref);
      expect(decodeReference(bytes, anchor, input.maxIter).blaPays).toBe(ref.blaPays);
      const flipped = bytes.slice();
      flipped[9 * 4] ^= 1; // the decision's header word
      expect(() => decodeReference(flipped, anchor, input.maxIter)).toThrow(/checksum/);
    }
  });

  it("is the same twice", () => {
    const input = locationTile("seahorse p998 minibrot", 5000);
    const anchor = anchorOf(input);
    expect(encodeReference(computeReference(anchor, 5000))).toEqual(encodeReference(computeReference(anchor, 5000)));
  });
});
