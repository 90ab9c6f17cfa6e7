/**
 * Slow (the `slow` vitest project): the tile-reuse claim of tile-grid.test.ts at a deep minibrot,
 * where tiles and views prove rectangles interior (packages/deep interior-proof.ts) over grids of
 * different shapes. Reuse is only right if those proofs never change a pixel against the loop.
 */
import { describe, expect, it } from "vitest";
import { parseDecimalRational } from "../deep/fixed";
import { DEEP_LOCATIONS } from "../deep/locations";
import { INTERIOR_INDEX } from "../colour/index";
import { decodeIndexedPng } from "../png/index";
import { renderTilePng, renderViewIndices } from "../render/index";
import { partView, type PartRect } from "./parts";
import { parseExportSpec, type PosterSpec } from "./spec";
import { copyPiece, pieceInParent, posterTileAlignment, tilePieces } from "./tile-grid";

/** n / 2^k as exact decimal text. */
function dyadic(n: bigint, k: number): string {
  const negative = n < 0n;
  const digits = ((negative ? -n : n) * 5n ** BigInt(k)).toString().padStart(k + 1, "0");
  return `${negative ? "-" : ""}${digits.slice(0, digits.length - k)}.${digits.slice(digits.length - k)}`;
}

describe("an aligned deep poster over a minibrot", () => {
  it("has its tiles' pixels, 1x and @2x, interior included", () => {
    const location = DEEP_LOCATIONS.find((l) => l.name === "seahorse p998 minibrot")!;
    const zoom = location.zoom;
    // The grid pixel of the nucleus: (re + 2.5)·2^(z+6), (2 − im)·2^(z+6).
    const re = parseDecimalRational(location.re);
    const im = parseDecimalRational(location.im);
    const gx = ((2n * re.num + 5n * re.den) << BigInt(zoom + 6)) / (2n * re.den);
    const gy = ((2n * im.den - im.num) << BigInt(zoom + 6)) / im.den;
    const [width, height] = [160, 120];
    const [originX, originY] = [gx - 80n, gy - 60n];
    const k = zoom + 7;
    const spec = parseExportSpec({
      re: dyadic(-5n * (1n << BigInt(k - 1)) + 2n * originX + BigInt(width), k),
      im: dyadic((1n << BigInt(k + 1)) - 2n * originY - BigInt(height), k),
      zoom,
      width,
      height,
    }) as PosterSpec;
    const poster = posterTileAlignment(spec);
    if (!poster.aligned) throw new Error(poster.reason);
    const rect: PartRect = { index: 0, x0: 0, y0: 0, width, height };
    const view = renderViewIndices(partView(spec, rect));
    expect(view.filter((i) => i === INTERIOR_INDEX).length).toBeGreaterThan(1000); // the minibrot is in it

    for (const layer of poster.layers) {
      const out = new Uint8Array(width * height);
      for (const piece1x of tilePieces(poster, poster.layers[0], rect)) {
        const piece = layer.scale === 2 ? pieceInParent(piece1x) : piece1x;
        const tile = decodeIndexedPng(renderTilePng({ ...layer, x: piece.x, y: piece.y, palette: spec.palette }));
        copyPiece(out, width, tile.indices, tile.width, piece);
      }
      expect(out).toEqual(view);
    }
  }, 300_000);
});
