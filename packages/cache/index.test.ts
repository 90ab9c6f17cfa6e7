import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { tileKey, type TileKeyParts } from "./index";
import { MAX_ZOOM, PALETTES, RENDER_VERSION } from "../render/index";
import { DEEP_MAX_ZOOM } from "../deep/index";

describe("tileKey", () => {
  it("is the public tile URL path without its leading slash", () => {
    expect(tileKey({ z: 3, x: 5n, y: 2n, scale: 1, palette: "classic" }, "r1-abc")).toBe(
      "tiles/r1-abc/classic/3/5/2.png",
    );
    expect(tileKey({ z: 3, x: 5n, y: 2n, scale: 2, palette: "magma" }, "r1-abc")).toBe(
      "tiles/r1-abc/magma/3/5/2@2x.png",
    );
  });

  it("spells x and y in base 36, lower case, at any size", () => {
    expect(tileKey({ z: 6, x: 35n, y: 36n, scale: 1, palette: "classic" }, "r1-abc")).toBe(
      "tiles/r1-abc/classic/6/z/10.png",
    );
    const x = 36n ** 100n - 1n; // a hundred "z" digits
    expect(tileKey({ z: 600, x, y: 0n, scale: 1, palette: "classic" }, "r")).toBe(
      `tiles/r/classic/600/${"z".repeat(100)}/0.png`,
    );
  });

  it("gives every (render version, palette, z, x, y, scale) its own key", () => {
    const parts = fc.record({
      version: fc.constantFrom("r1-a", "r1-b", "r2-a"),
      spec: fc.record({
        z: fc.integer({ min: 0, max: 400 }),
        x: fc.bigInt({ min: 0n, max: 1n << 200n }),
        y: fc.bigInt({ min: 0n, max: 1n << 200n }),
        scale: fc.constantFrom(1 as const, 2 as const),
        palette: fc.constantFrom("classic", "magma", "grayscale"),
      }),
    });
    fc.assert(
      fc.property(parts, parts, (a, b) => {
        const same = a.version === b.version && canonical(a.spec).join() === canonical(b.spec).join();
        expect(tileKey(a.spec, a.version) === tileKey(b.spec, b.version)).toBe(same);
      }),
      { numRuns: 2000 },
    );
  });
});

describe("keys of the deepest tiles", () => {
  const lastTile = (z: number) => (1n << BigInt(z)) - 1n;
  const longestVersion = "r".repeat(64); // the longest render version a tile URL may name
  const longestPalette = PALETTES.reduce((a, b) => (a.length >= b.length ? a : b));
  const keyBytes = (z: number) =>
    Buffer.byteLength(
      tileKey({ z, x: lastTile(z), y: lastTile(z), scale: 2, palette: longestPalette }, longestVersion),
    );

  it("fit S3's 1024-byte keys at MAX_ZOOM, whichever render version and palette", () => {
    expect(keyBytes(MAX_ZOOM)).toBeLessThanOrEqual(1024);
    expect(
      Buffer.byteLength(
        tileKey(
          { z: MAX_ZOOM, x: lastTile(MAX_ZOOM), y: lastTile(MAX_ZOOM), scale: 2, palette: longestPalette },
          RENDER_VERSION,
        ),
      ),
    ).toBeLessThan(1000);
  });

  it("MAX_ZOOM is within a few zooms of the largest that fits (the margin grid.ts writes down)", () => {
    let largest = MAX_ZOOM;
    while (keyBytes(largest + 1) <= 1024) largest++;
    expect(largest).toBe(2404);
  });

  it("the deep renderer accepts every zoom the grid serves", () => {
    expect(DEEP_MAX_ZOOM).toBeGreaterThanOrEqual(MAX_ZOOM);
  });
});

function canonical(spec: TileKeyParts) {
  return [spec.z, spec.x, spec.y, spec.scale, spec.palette];
}
