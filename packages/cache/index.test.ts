import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { tileKey, type TileKeyParts } from "./index";

describe("tileKey", () => {
  it("is the public tile URL path without its leading slash", () => {
    expect(tileKey({ z: 3, x: 5, y: 2, scale: 1, palette: "classic" }, "r1-abc")).toBe("tiles/r1-abc/classic/3/5/2.png");
    expect(tileKey({ z: 3, x: 5, y: 2, scale: 2, palette: "magma" }, "r1-abc")).toBe("tiles/r1-abc/magma/3/5/2@2x.png");
  });

  it("gives every (render version, palette, z, x, y, scale) its own key", () => {
    const parts = fc.record({
      version: fc.constantFrom("r1-a", "r1-b", "r2-a"),
      spec: fc.record({
        z: fc.integer({ min: 0, max: 40 }),
        x: fc.nat(),
        y: fc.nat(),
        scale: fc.constantFrom(1 as const, 2 as const),
        palette: fc.constantFrom("classic", "magma", "grayscale"),
      }),
    });
    fc.assert(
      fc.property(parts, parts, (a, b) => {
        const same = a.version === b.version && JSON.stringify(canonical(a.spec)) === JSON.stringify(canonical(b.spec));
        expect(tileKey(a.spec, a.version) === tileKey(b.spec, b.version)).toBe(same);
      }),
      { numRuns: 2000 },
    );
  });
});

function canonical(spec: TileKeyParts) {
  return [spec.z, spec.x, spec.y, spec.scale, spec.palette];
}
