import { describe, expect, it } from "vitest";
import { findAttractingCycle, iterateOrbit } from "./cycle";
import { parseDecimal } from "./fixed";
import { interiorDisc } from "./interior-distance";
import { anchorOf, tilePixelGrid, type DeepTileInput } from "./geometry";
import { proofWorkLimit, proveInteriorRects, referenceCycle } from "./interior-proof";
import { referencePoint } from "./reference";
import { computeReference } from "./select";
import { perturbGridWasm } from "./wasm";
import { inspectFixed } from "./point";
import { countGrids, renderDeepTile, renderDeepTileWith } from "./render";

const BITS = 80;

/** The interior distance estimate at c (a double), through the same cycle search the tiles use. */
function discAt(re: number, im: number, bits = BITS, budget = 2000) {
  return discAtFixed(parseDecimal(re.toString(), bits), parseDecimal(im.toString(), bits), bits, budget);
}

function discAtFixed(cr: bigint, ci: bigint, bits: number, budget: number) {
  const orbit = iterateOrbit(cr, ci, bits, budget);
  const cycle = orbit.escapedAt === null ? findAttractingCycle(cr, ci, bits, orbit, 4 * budget) : null;
  return cycle ? { period: cycle.period, disc: interiorDisc(cr, ci, bits, cycle) } : null;
}

/** Is c interior by an attracting cycle found directly at c (inspectFixed, as GET /point)? */
function attracting(re: number, im: number, budget = 2000): number | null {
  return inspectFixed(parseDecimal(re.toString(), BITS), parseDecimal(im.toString(), BITS), BITS, budget).period;
}

describe("interior distance estimate", () => {
  it("matches the closed forms of the main cardioid and the period-2 bulb", () => {
    // Cardioid: λ = 1 − sqrt(1 − 4c), dλ/dc = 2 / sqrt(1 − 4c). Bulb: λ = 4(c + 1), dλ/dc = 4.
    const sqrtC = (re: number, im: number): [number, number] => {
      const r = Math.hypot(re, im);
      return [Math.sqrt((r + re) / 2), Math.sign(im || 1) * Math.sqrt((r - re) / 2)];
    };
    for (const [re, im] of [
      [0, 0],
      [0.2, 0],
      [-0.3, 0.4],
      [-0.6, 0.2],
      [0.1, -0.5],
    ]) {
      const [sr, si] = sqrtC(1 - 4 * re, -4 * im);
      const lambda = Math.hypot(1 - sr, -si);
      const expected = (1 - lambda * lambda) / (2 / Math.hypot(sr, si));
      const found = discAt(re, im);
      expect(found?.period).toBe(1);
      expect(2 ** found!.disc!.distanceLog2 / expected).toBeCloseTo(1, 9);
    }
    for (const [re, im] of [
      [-1, 0],
      [-1.1, 0.1],
      [-0.9, -0.05],
    ]) {
      const d2 = (re + 1) ** 2 + im ** 2;
      const found = discAt(re, im);
      expect(found?.period).toBe(2);
      expect(2 ** found!.disc!.distanceLog2 / ((1 - 16 * d2) / 4)).toBeCloseTo(1, 9);
    }
  });

  it("the disc of radius b/4 lies inside the component (bulbs of period 3, 4 and 5, checked point by point)", () => {
    // Nuclei (period): the proof must hold around points anywhere in the component, not only nuclei.
    const centres: [number, number, number][] = [
      [-0.1225611668766536, 0.7448617666197442, 3],
      [-0.1, 0.8, 3],
      [0.2822713907669139, 0.5300606175785253, 4],
      [-1.3107026413368328, 0, 4],
      [-0.5043401754462431, 0.5627657614529813, 5],
    ];
    for (const [re, im, period] of centres) {
      const found = discAt(re, im);
      expect(found?.period).toBe(period);
      const radius = 2 ** found!.disc!.distanceLog2 / 4;
      for (let k = 0; k < 16; k++) {
        const t = (2 * Math.PI * k) / 16;
        expect(attracting(re + radius * Math.cos(t), im + radius * Math.sin(t))).toBe(period);
      }
      // and b is an upper bound of the distance to the boundary: some point at distance 1.5·b is
      // not in this component
      const outside = Array.from({ length: 16 }, (_, k) => (2 * Math.PI * k) / 16).some(
        (t) => attracting(re + 6 * radius * Math.cos(t), im + 6 * radius * Math.sin(t)) !== period,
      );
      expect(outside).toBe(true);
    }
  });

  it("stays inside where the component is thinnest: 2^-40 from the cusp of the cardioid", () => {
    const found = discAtFixed((1n << 118n) - (1n << 80n), 0n, 120, 50_000); // exactly 1/4 − 2^-40
    expect(found?.period).toBe(1);
    const radius = 2 ** found!.disc!.distanceLog2 / 4;
    expect(radius).toBeLessThanOrEqual(2 ** -40);
    expect(radius).toBeGreaterThan(2 ** -44);
  });
});

/** Tile (z, x, y) containing the double point (re, im). */
const tileAt = (re: number, im: number, z: number, maxIter: number) => ({
  z,
  x: BigInt(Math.floor(((re + 2.5) * 2 ** z) / 4)),
  y: BigInt(Math.floor(((2 - im) * 2 ** z) / 4)),
  scale: 1 as const,
  maxIter,
});

/** A point of the period-3 bulb's boundary, above its nucleus, by bisection on attracting cycles. */
function bulbBoundaryAbove(re: number, im: number): number {
  let inside = im;
  let outside = im + 0.2;
  for (let i = 0; i < 40; i++) {
    const mid = (inside + outside) / 2;
    if (attracting(re, mid) === 3) inside = mid;
    else outside = mid;
  }
  return inside;
}

/** Does the exact centre of pixel (px, py) of a 1x tile have an attracting cycle, and of which period? */
function pixelPeriod(tile: { z: number; x: bigint; y: bigint }, px: number, py: number): number | null {
  // centre·2^(z+9) = −2.5·2^(z+9) + 8·(256·x + px) + 4, and 2 − … for im
  const bits = tile.z + 9;
  const one = 1n << BigInt(bits);
  const re = -(5n * one) / 2n + 8n * (256n * tile.x + BigInt(px)) + 4n;
  const im = 2n * one - 8n * (256n * tile.y + BigInt(py)) - 4n;
  const lift = 40n;
  return inspectFixed(re << lift, im << lift, bits + 40, 2000).period;
}

/** Which pixels of a tile the proofs cover, with the probes render.ts uses (the loop, one pixel at a time). */
function provenMask(input: DeepTileInput): Uint8Array {
  const anchor = anchorOf(input);
  const ref = computeReference(anchor, input.maxIter);
  const grid = tilePixelGrid(input, anchor);
  grid.c0re -= ref.offsetRe;
  grid.c0im -= ref.offsetIm;
  const probe = (px: number, py: number) => {
    const one = { ...grid, width: 1, height: 1, c0re: grid.c0re + px * grid.step, c0im: grid.c0im - py * grid.step };
    const r = perturbGridWasm(ref, one, input.maxIter, { bla: true });
    return { interior: r.counts[0] >= input.maxIter, steps: r.steps + r.blaSteps };
  };
  const origin = referencePoint(anchor, ref.offsetRe, ref.offsetIm);
  const { proven } = proveInteriorRects(origin, grid, input.maxIter, probe, () => referenceCycle(ref));
  const mask = new Uint8Array(grid.width * grid.height);
  for (const r of proven) {
    for (let y = r.y0; y < r.y0 + r.height; y++) mask.fill(1, y * grid.width + r.x0, y * grid.width + r.x0 + r.width);
  }
  return mask;
}

describe("interior proofs in deep tiles", () => {
  const nucleus = [-0.1225611668766536, 0.7448617666197442] as const;

  it("an all-interior tile of the period-3 bulb is proven whole and equals the iterated tile", () => {
    const input = tileAt(nucleus[0], nucleus[1], 40, 2000);
    const proven = renderDeepTile(input);
    const iterated = renderDeepTile(input, undefined, { interiorProofs: false });
    expect(proven.stats.pixelsProven).toBe(65536);
    expect(proven.stats.perturbationSteps + proven.stats.blaSteps).toBeLessThan(2 * 2000); // the probe only
    expect(proven.counts).toEqual(iterated.counts);
    expect(proven.smooth).toEqual(iterated.smooth);
    expect(proven.stats.proofBigintSteps).toBeLessThanOrEqual(proofWorkLimit(65536, 2000, input.z + 8 + 48));
  });

  it("a tile across the bulb's boundary: the pixels proven are truly interior, and the counts are the same", async () => {
    const edge = bulbBoundaryAbove(nucleus[0], nucleus[1]);
    // the first zoom from 36 whose tile has the boundary in its upper half: interior below it
    let z = 36;
    while ((((2 - edge) * 2 ** z) / 4) % 1 > 0.4) z++;
    const input = tileAt(nucleus[0], edge, z, 2000);
    const proven = renderDeepTile(input);
    const iterated = renderDeepTile(input, undefined, { interiorProofs: false });
    expect(proven.counts).toEqual(iterated.counts);
    expect(proven.smooth).toEqual(iterated.smooth);
    // the same with the loop's open rectangles handed out in bands (as to worker threads)
    const banded = await renderDeepTileWith(async (...args) => countGrids(...args), input);
    expect(banded.counts).toEqual(proven.counts);
    expect(banded.smooth).toEqual(proven.smooth);
    // Pixels just outside the boundary outlive a budget of 2000 at this depth, so by count the
    // tile looks all interior; the proofs must stop short of the boundary.
    expect(proven.stats.pixelsProven).toBeGreaterThan(65536 * 0.3);
    expect(proven.stats.pixelsProven).toBeLessThan(65536);
    expect(proven.stats.proofBigintSteps).toBeLessThanOrEqual(proofWorkLimit(65536, 2000, input.z + 8 + 48));
    // The proven pixels next to unproven ones are nearest the boundary, the ones at risk: check
    // every 5th of them by a cycle found directly at its centre.
    const mask = provenMask(input);
    const at = (px: number, py: number) => px < 0 || py < 0 || px > 255 || py > 255 || mask[py * 256 + px] === 1;
    const rim: [number, number][] = [];
    for (let py = 0; py < 256; py++) {
      for (let px = 0; px < 256; px++) {
        if (at(px, py) && !(at(px + 1, py) && at(px - 1, py) && at(px, py + 1) && at(px, py - 1))) rim.push([px, py]);
      }
    }
    expect(rim.length).toBeGreaterThan(20);
    for (let i = 0; i < rim.length; i += 5) expect(pixelPeriod(input, rim[i][0], rim[i][1])).toBe(3);
  });

  it("a chaotic tile: nothing proven, the BigInt work within its bound, the same counts", () => {
    const input = tileAt(-0.743643887037158, 0.131825904205311, 36, 2000);
    const proven = renderDeepTile(input);
    const iterated = renderDeepTile(input, undefined, { interiorProofs: false });
    expect(proven.stats.pixelsProven).toBe(0);
    expect(proven.stats.proofBigintSteps).toBeLessThanOrEqual(proofWorkLimit(65536, 2000, input.z + 8 + 48));
    expect(proven.counts).toEqual(iterated.counts);
  });
});
