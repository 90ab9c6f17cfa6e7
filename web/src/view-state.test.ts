import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { pixelSize } from "./plane";
import { formatViewHash, historyAction, parseViewHash, type ViewLimits, type ViewState } from "./view-state";

const limits: ViewLimits = {
  minZoom: 0,
  maxZoom: 32,
  palettes: ["classic", "magma", "grayscale"],
  maxCoordinateChars: 1024,
};

const anyView = fc.record({
  re: fc.double({ min: -2.5, max: 1.5, noNaN: true }),
  im: fc.double({ min: -2, max: 2, noNaN: true }),
  zoom: fc.integer({ min: 0, max: 32 * 4 }).map((quarters) => quarters / 4),
  palette: fc.constantFrom(...limits.palettes),
});

describe("view in the URL fragment", () => {
  it("reads back what it wrote, to 1/100 of a pixel", () => {
    fc.assert(
      fc.property(anyView, (view) => {
        const parsed = parseViewHash(formatViewHash(view), limits);
        expect(parsed.zoom).toBe(view.zoom);
        expect(parsed.palette).toBe(view.palette);
        expect(Math.abs(parsed.center!.re - view.re)).toBeLessThan(pixelSize(view.zoom) / 100);
        expect(Math.abs(parsed.center!.im - view.im)).toBeLessThan(pixelSize(view.zoom) / 100);
      }),
    );
  });

  it("is a fixed point after one round trip, so a pasted link reproduces its own URL exactly", () => {
    fc.assert(
      fc.property(anyView, (view) => {
        const hash = formatViewHash(view);
        const parsed = parseViewHash(hash, limits);
        const again: ViewState = {
          re: parsed.center!.re,
          im: parsed.center!.im,
          zoom: parsed.zoom!,
          palette: parsed.palette!,
        };
        expect(formatViewHash(again)).toBe(hash);
      }),
    );
  });

  it("writes a readable fragment", () => {
    expect(formatViewHash({ re: -0.75, im: 0.1, zoom: 2.5, palette: "magma" })).toBe(
      "#z=2.5&re=-0.75&im=0.1&palette=magma",
    );
  });

  it("drops what it cannot use and clamps the rest into the grid", () => {
    expect(parseViewHash("#z=abc&re=1&palette=nope", limits)).toEqual({});
    expect(parseViewHash("", limits)).toEqual({});
    expect(parseViewHash("#z=99&re=-9&im=Infinity", limits)).toEqual({ zoom: 32 });
    expect(parseViewHash("#z=-3&re=-9&im=5", limits)).toEqual({
      zoom: 0,
      center: { re: -2.5, im: 2 },
      exact: { re: "-2.5", im: "2" },
    });
  });
});

describe("history rule", () => {
  const here: ViewState = { re: -0.5, im: 0, zoom: 3, palette: "classic" };
  const current = parseViewHash(formatViewHash(here), limits);

  it("pushes a zoom or palette change, so Back undoes it", () => {
    expect(historyAction(current, { ...here, zoom: 4 })).toBe("push");
    expect(historyAction(current, { ...here, palette: "magma" })).toBe("push");
  });

  it("rewrites the entry while panning", () => {
    expect(historyAction(current, { ...here, re: -0.4, im: 0.2 })).toBe("replace");
  });

  it("rewrites an entry that held no full view (first load, hand-edited link)", () => {
    expect(historyAction({}, here)).toBe("replace");
  });
});
