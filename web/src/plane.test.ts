import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEEP_FROM_ZOOM } from "../../packages/render";
import { tileBounds, tileSide } from "../../packages/tile";
// plane.ts works in float64: the zooms where the grid and coordinates are exact in it.
const FLOAT_ZOOMS = DEEP_FROM_ZOOM - 1;
import { coordinateDecimals, formatCoordinate, pixelSize, planeToPixel, tileContaining, trimDecimal } from "./plane";

describe("plane ↔ server tile grid", () => {
  it("puts the zoom-0 tile's corners at pixels (0,0) and (256,256)", () => {
    expect(planeToPixel(-2.5, 2)).toEqual({ x: 0, y: 0 });
    expect(planeToPixel(1.5, -2)).toEqual({ x: 256, y: 256 });
  });

  it("finds, for any point inside a server tile, that same tile", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: FLOAT_ZOOMS }).chain((z) =>
          fc.record({
            z: fc.constant(z),
            x: fc.integer({ min: 0, max: 2 ** z - 1 }),
            y: fc.integer({ min: 0, max: 2 ** z - 1 }),
            fx: fc.double({ min: 0.05, max: 0.95, noNaN: true }),
            fy: fc.double({ min: 0.05, max: 0.95, noNaN: true }),
          }),
        ),
        ({ z, x, y, fx, fy }) => {
          const bounds = tileBounds(z, x, y);
          const side = tileSide(z);
          const re = bounds.left + fx * side;
          const im = bounds.top - fy * side;
          expect(tileContaining(re, im, z)).toEqual({ x, y });
        },
      ),
    );
  });

  it("has the pixel size the /render zoom parameter uses: 4 / 2^zoom / 256", () => {
    for (const zoom of [0, 1, 7.5, 32]) expect(pixelSize(zoom)).toBeCloseTo(4 / 2 ** zoom / 256, 30);
  });
});

describe("coordinate text", () => {
  it("keeps the rounding error under 1/100 pixel at every zoom", () => {
    fc.assert(
      fc.property(
        fc.double({ min: -2.5, max: 1.5, noNaN: true }),
        fc.double({ min: 0, max: FLOAT_ZOOMS, noNaN: true }),
        (value, zoom) => {
          const error = Math.abs(Number(formatCoordinate(value, zoom)) - value);
          expect(error).toBeLessThan(pixelSize(zoom) / 100);
        },
      ),
    );
  });

  it("grows one decimal per ~3.3 zoom levels", () => {
    expect(coordinateDecimals(0)).toBe(4);
    expect(coordinateDecimals(10)).toBe(8);
    expect(coordinateDecimals(32)).toBe(14);
  });

  it("drops trailing zeros and negative zero", () => {
    expect(trimDecimal("-0.7500")).toBe("-0.75");
    expect(trimDecimal("2.000")).toBe("2");
    expect(trimDecimal("-0.0000")).toBe("0");
    expect(trimDecimal("100")).toBe("100");
  });
});
