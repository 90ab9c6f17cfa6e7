import { describe, expect, it } from "vitest";
import { renderReference } from "../kernel/reference";
import { budgetForPixelZoom } from "../tile/budget";
import { ValidationError } from "../tile/errors";
import { MAX_ZOOM } from "../tile/grid";
import { parseDecimal } from "./fixed";
import { DEEP_LOCATIONS } from "./locations";
import { candidateOrder } from "./cycle";
import { inspectFixed, inspectPoint, precisionBitsForZoom } from "./point";

function rejection(re: unknown, im: unknown, zoom: unknown): ValidationError {
  try {
    inspectPoint(re as string, im as string, zoom as number);
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error("accepted");
}

/** The inspection of a location at its own zoom's precision and budget (any depth, whatever MAX_ZOOM is). */
function inspectAt(re: string, im: string, zoom: number) {
  const bits = precisionBitsForZoom(zoom);
  return inspectFixed(parseDecimal(re, bits), parseDecimal(im, bits), bits, budgetForPixelZoom(zoom));
}

describe("inspectPoint: periods of attracting cycles", () => {
  it.each([
    ["main cardioid", "-0.1", "0.1", 1],
    ["main cardioid near its cusp", "0.24", "0", 1],
    ["period-2 bulb centre", "-1", "0", 2],
    ["period-2 bulb near its edge (multiplier −0.96)", "-1.24", "0", 2],
    ["period-3 bulb on top", "-0.12", "0.75", 3],
    ["period-3 bulb below (conjugate)", "-0.12", "-0.75", 3],
    ["period-3 minibrot on the real axis", "-1.7548776662466927", "0", 3],
    ["period-4 bulb on the period-2 bulb", "-1.3107", "0", 4],
    ["period-5 bulb", "-0.5043", "0.5627", 5],
  ])("%s (%s + %si): period %i", (_name, re, im, period) => {
    const r = inspectPoint(re, im, 10);
    expect(r.escaped).toBe(false);
    expect(r.count).toBe(r.budget);
    expect(r.smooth).toBe(-1);
    expect(r.period).toBe(period);
  });

  it("finds no attracting cycle where there is none: a parabolic root and a Misiurewicz point", () => {
    expect(inspectPoint("-0.75", "0", 10)).toMatchObject({ escaped: false, period: null }); // multiplier −1
    expect(inspectPoint("0.25", "0", 10)).toMatchObject({ escaped: false, period: null }); // multiplier 1
    expect(inspectPoint("0", "1", 10)).toMatchObject({ escaped: false, period: null }); // C = i, preperiodic
  });

  for (const location of DEEP_LOCATIONS.filter((l) => l.kind === "minibrot")) {
    it(`finds period ${location.period} at the nucleus of "${location.name}" (z${location.zoom})`, () => {
      const r = inspectAt(location.re, location.im, location.zoom);
      expect(r.escaped).toBe(false);
      expect(r.period).toBe(location.period);
    });
  }

  it("finds the period off the nucleus too, inside the seahorse p998 minibrot", () => {
    const m = DEEP_LOCATIONS.find((l) => l.name === "seahorse p998 minibrot")!;
    // 2^-53 is a fifth of the minibrot's size estimate (2^-50.5) from the nucleus: well inside it.
    const bits = precisionBitsForZoom(m.zoom);
    const cr = parseDecimal(m.re, bits) + (1n << BigInt(bits - 53));
    const ci = parseDecimal(m.im, bits) - (1n << BigInt(bits - 54));
    const r = inspectFixed(cr, ci, bits, budgetForPixelZoom(m.zoom));
    expect(r).toMatchObject({ escaped: false, period: 998 });
  });

  it("finds the period off the nucleus at depth too, inside the period-243 minibrot at z603", () => {
    const m = DEEP_LOCATIONS.find((l) => l.period === 243)!;
    const bits = precisionBitsForZoom(m.zoom);
    // 2^-(zoom+3) from the nucleus: an eighth of a tile side, well inside the minibrot (size 2^log2Size).
    expect(m.log2Size!).toBeGreaterThan(-(m.zoom + 1));
    const cr = parseDecimal(m.re, bits) - (1n << BigInt(bits - m.zoom - 3));
    const ci = parseDecimal(m.im, bits) + (1n << BigInt(bits - m.zoom - 4));
    expect(inspectFixed(cr, ci, bits, budgetForPixelZoom(m.zoom))).toMatchObject({ escaped: false, period: 243 });
  });

  it("never reports a period for the Misiurewicz locations (bounded or escaping, never attracted)", () => {
    for (const location of DEEP_LOCATIONS.filter((l) => l.kind === "misiurewicz" && l.zoom <= 200)) {
      expect(inspectAt(location.re, location.im, location.zoom).period, location.name).toBeNull();
    }
  });
});

describe("inspectPoint: escape counts and smooth values", () => {
  it("agrees with the float64 reference kernel on a shallow tile (counts and smooth values)", () => {
    // Tile z4 (4, 5, 6): 16×16 pixels at its pixel centres; float64 is exact enough at this zoom
    // that only a few chaotic boundary pixels may differ.
    const left = -2.5 + 4 * 0.25;
    const top = 2 - 6 * 0.25;
    const step = 0.25 / 16;
    const maxIter = budgetForPixelZoom(4);
    const reference = renderReference({ left, top, step, width: 16, height: 16, maxIter });
    let same = 0;
    for (let py = 0; py < 16; py++) {
      for (let px = 0; px < 16; px++) {
        const re = String(left + (px + 0.5) * step);
        const im = String(top - (py + 0.5) * step);
        const r = inspectPoint(re, im, 4);
        const i = py * 16 + px;
        if (r.count !== reference.counts[i]) continue;
        same++;
        if (r.escaped) expect(Math.abs(r.smooth - reference.smooth[i])).toBeLessThan(1e-4);
        else expect(reference.smooth[i]).toBe(-1);
      }
    }
    expect(same).toBeGreaterThanOrEqual(250);
  });

  it("reports the budget of the zoom and the precision used", () => {
    const r = inspectPoint("0.3", "0", 12.5);
    expect(r).toMatchObject({ escaped: true, count: 12, zoom: 12.5, budget: budgetForPixelZoom(12.5) });
    expect(r.precisionBits).toBe(precisionBitsForZoom(12.5));
    expect(r.smooth).toBeGreaterThan(12);
    expect(r.smooth).toBeLessThan(15);
  });

  it("echoes the point as inspected: the input rounded to the precision of the zoom", () => {
    const r = inspectPoint("-0.75", "0.125", 3);
    expect([r.re, r.im]).toEqual(["-0.75", "0.125"]); // dyadic: exact
    const s = inspectPoint("0.1", "0", 3);
    expect(Number.parseFloat(s.re)).toBe(0.1);
    // Within half a unit of the precision (2^-(bits+1)) of 0.1, checked exactly at 200 bits.
    const error = parseDecimal(s.re, 200) - parseDecimal("0.1", 200);
    expect(error < 0n ? -error : error).toBeLessThanOrEqual(1n << BigInt(200 - precisionBitsForZoom(3) - 1));
    expect(s.re).not.toBe("0.1"); // 0.1 is not a binary fraction
  });
});

describe("inspectPoint: bad input", () => {
  it.each([
    ["re", ["abc", "0", 3]],
    ["re", ["", "0", 3]],
    ["re", [undefined, "0", 3]],
    ["im", ["0", "1..2", 3]],
    ["im", ["0", "0".repeat(5000), 3]],
    ["zoom", ["0", "0", -1]],
    ["zoom", ["0", "0", Number.NaN]],
    ["zoom", ["0", "0", Number.POSITIVE_INFINITY]],
    ["zoom", ["0", "0", MAX_ZOOM + 1]],
    ["zoom", ["0", "0", "3"]],
  ] as const)("names %s", (field, args) => {
    expect(rejection(args[0], args[1], args[2]).field).toBe(field);
  });
});

describe("candidateOrder", () => {
  it("tries the records that divide every later record first, ascending, then the rest latest first", () => {
    expect(candidateOrder([1, 3, 7, 14, 21, 28])).toEqual([1, 7, 28, 21, 14, 3]);
    expect(candidateOrder([1, 2, 5, 10])).toEqual([1, 5, 10, 2]);
    expect(candidateOrder([])).toEqual([]);
  });
});
