import { describe, expect, it } from "vitest";
import { GRADIENT_ENTRIES, INTERIOR_INDEX, paletteIndices } from "../colour/index";
import { iterationBudget } from "../tile/budget";
import { formatFixed } from "./fixed";
import { renderDeepView } from "./index";
import { DEEP_LOCATIONS } from "./locations";

/**
 * Colour at depth on the public deep locations: each location's tile, sampled 64×64 (a view over
 * the same square), through the palette mapping at the tile's zoom. Legible means bands: enough
 * distinct colours in use (entropy of the index histogram) and few neighbouring pixels whose
 * colours jump by more than an eighth of the gradient (noise). The shallow sqrt rule, applied to
 * the same values, is the comparison: it is one flat colour beside Misiurewicz points.
 */
const SIDE = 64;

function sampleTile(location: (typeof DEEP_LOCATIONS)[number]): Float32Array {
  const { z, x, y } = location.tile;
  // The tile's centre: (-2.5 + (x + 1/2)·4/2^z, 2 − (y + 1/2)·4/2^z), exact in fixed point.
  const bits = z + 3;
  const re = formatFixed(-5n * (1n << BigInt(bits - 1)) + ((2n * x + 1n) << 4n), bits);
  const im = formatFixed((2n << BigInt(bits)) - ((2n * y + 1n) << 4n), bits);
  return renderDeepView({ re, im, zoom: z - 2, width: SIDE, height: SIDE, maxIter: iterationBudget(z, 1) }).smooth;
}

function legibility(indices: Uint8Array): { entropyBits: number; noise: number } {
  const histogram = new Map<number, number>();
  let exterior = 0;
  let pairs = 0;
  let jumps = 0;
  for (let i = 0; i < indices.length; i++) {
    const v = indices[i];
    if (v === INTERIOR_INDEX) continue;
    exterior++;
    histogram.set(v, (histogram.get(v) ?? 0) + 1);
    const right = indices[i + 1];
    if (i % SIDE < SIDE - 1 && right !== INTERIOR_INDEX) {
      pairs++;
      const d = Math.abs(v - right);
      if (Math.min(d, GRADIENT_ENTRIES - d) > GRADIENT_ENTRIES / 8) jumps++;
    }
  }
  let entropyBits = 0;
  for (const count of histogram.values()) entropyBits -= (count / exterior) * Math.log2(count / exterior);
  return { entropyBits, noise: pairs === 0 ? 0 : jumps / pairs };
}

describe("colour at depth", () => {
  // Rendered once, shared by the tests: all ten locations, z50 to z2003 (about 6 s in all).
  const locations = DEEP_LOCATIONS;
  const measured = new Map<
    string,
    { deep: ReturnType<typeof legibility>; shallowRule: ReturnType<typeof legibility> }
  >();
  const measure = (location: (typeof DEEP_LOCATIONS)[number]) => {
    let m = measured.get(location.name);
    if (!m) {
      const smooth = sampleTile(location);
      m = {
        deep: legibility(paletteIndices(smooth, undefined, location.zoom)),
        shallowRule: legibility(paletteIndices(smooth, undefined, 0)),
      };
      measured.set(location.name, m);
    }
    return m;
  };

  for (const location of locations) {
    it(`is legible on "${location.name}" (z${location.zoom}): bands, not one colour, not noise`, () => {
      const { deep, shallowRule } = measure(location);
      expect(deep.entropyBits).toBeGreaterThan(3);
      expect(deep.noise).toBeLessThan(0.25);
      // No noisier than the shallow rule on the same values, within 2 % of pairs (the seahorse tile
      // is chaotic: both rules jump there; a flat colour has no jumps at all).
      expect(deep.noise).toBeLessThanOrEqual(shallowRule.noise + 0.02);
    });
  }

  it("lifts the flattest tile above what the shallow rule gives it", () => {
    const least = (pick: (m: ReturnType<typeof measure>) => number) =>
      Math.min(...locations.map((l) => pick(measure(l))));
    expect(least((m) => m.deep.entropyBits)).toBeGreaterThan(least((m) => m.shallowRule.entropyBits) + 0.3);
  });
});
