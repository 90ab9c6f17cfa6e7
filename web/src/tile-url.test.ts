import { describe, expect, it } from "vitest";
import { encodeTileIndex } from "../../packages/tile";
import { fillTileUrl } from "./tile-url";

const TEMPLATE = "/tiles/r9-abc/{palette}/{z}/{x}/{y}{r}.png";

describe("fillTileUrl", () => {
  it("spells x and y in base 36 and z in decimal", () => {
    expect(fillTileUrl(TEMPLATE, { palette: "magma", z: 12, x: 35n, y: 1295n, retina: true })).toBe(
      "/tiles/r9-abc/magma/12/z/zz@2x.png",
    );
    expect(fillTileUrl(TEMPLATE, { palette: "classic", z: 0, x: 0n, y: 0n, retina: false })).toBe(
      "/tiles/r9-abc/classic/0/0/0.png",
    );
  });

  it("writes the server's canonical spelling of indices of any size", () => {
    const x = (1n << 2000n) - 12345n;
    const url = fillTileUrl(TEMPLATE, { palette: "classic", z: 2000, x, y: 7n, retina: false });
    expect(url).toBe(`/tiles/r9-abc/classic/2000/${encodeTileIndex(x)}/7.png`);
  });
});
