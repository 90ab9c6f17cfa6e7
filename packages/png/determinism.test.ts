import * as zlib from "node:zlib";
import { describe, expect, it } from "vitest";
// @ts-expect-error pako 1.x ships no types; only deflate(data, options) is used here.
import pako from "pako";
import { getKernel } from "../kernel/index";
import { paletteIndices } from "../colour/index";
import { iterationBudget, tileBounds, type TileScale } from "../tile/index";
import { compressRle, filterScanlines } from "./index";

/**
 * Why the encoder's bytes are the same on every machine: Node's bundled zlib
 * picks CPU-specific hash functions (x64 SSE4.2 vs arm64), which steer the
 * default strategies' match search, but Z_RLE never consults the hash. If
 * that holds, node:zlib's Z_RLE output must equal that of an independent,
 * portable implementation of the same algorithm: pako, a pure-JS port of zlib
 * 1.2.8. (For contrast, the default strategy's bytes do differ between the two.)
 */
const TILES: [number, number, number, TileScale][] = [
  [4, 7, 7, 1],
  [0, 0, 0, 1],
  [4, 11, 7, 2],
  [20, 460417, 489730, 1],
];

function filteredTile(z: number, x: number, y: number, scale: TileScale): Uint8Array {
  const b = tileBounds(z, x, y, scale);
  const indices = paletteIndices(getKernel().render({ ...b, maxIter: iterationBudget(z, scale) }).smooth);
  return filterScanlines(indices, b.width, b.height, "up");
}

describe("Z_RLE determinism", () => {
  for (const [z, x, y, scale] of TILES) {
    it(`node:zlib Z_RLE equals pure-JS zlib (pako) byte for byte on tile ${z}/${x}/${y}@${scale}x`, () => {
      const data = filteredTile(z, x, y, scale);
      const portable = pako.deflate(data, { level: 9, strategy: zlib.constants.Z_RLE }) as Uint8Array;
      expect(Buffer.from(compressRle(data)).equals(Buffer.from(portable))).toBe(true);
    });
  }
});
