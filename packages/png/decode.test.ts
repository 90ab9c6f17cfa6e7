import fc from "fast-check";
import { PNG } from "pngjs";
import { describe, expect, it } from "vitest";
import { deflateSync } from "node:zlib";
import {
  PNG_SIGNATURE,
  PngDecodeError,
  compressRle,
  concatBytes,
  decodeIndexedPng,
  encodeIndexedPng,
  encodeIndexedPngWith,
  indexedHeader,
  pngChunk,
  type FilterChoice,
  type IndexedImage,
} from "./index";

const image = fc
  .record({
    width: fc.integer({ min: 1, max: 40 }),
    height: fc.integer({ min: 1, max: 40 }),
    entries: fc.integer({ min: 1, max: 256 }),
  })
  .chain(({ width, height, entries }) =>
    fc.record({
      width: fc.constant(width),
      height: fc.constant(height),
      indices: fc.uint8Array({ minLength: width * height, maxLength: width * height, max: entries - 1 }),
      paletteRgb: fc.uint8Array({ minLength: entries * 3, maxLength: entries * 3 }),
    }),
  );

/** A PNG whose every row uses `type` (3 Average or 4 Paeth, which the encoder never writes), filtered here. */
function pngWithFilter(img: IndexedImage, type: 3 | 4): Uint8Array {
  const { width, height, indices } = img;
  const at = (x: number, y: number) => (x < 0 || y < 0 ? 0 : indices[y * width + x]);
  const rows = new Uint8Array((width + 1) * height);
  for (let y = 0; y < height; y++) {
    rows[y * (width + 1)] = type;
    for (let x = 0; x < width; x++) {
      const [a, b, c] = [at(x - 1, y), at(x, y - 1), at(x - 1, y - 1)];
      let predicted = (a + b) >> 1;
      if (type === 4) {
        const p = a + b - c;
        const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
        predicted = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      rows[y * (width + 1) + 1 + x] = (at(x, y) - predicted) & 0xff;
    }
  }
  return concatBytes([
    PNG_SIGNATURE,
    pngChunk("IHDR", indexedHeader(width, height)),
    pngChunk("PLTE", img.paletteRgb),
    pngChunk("IDAT", deflateSync(rows)),
    pngChunk("IEND", new Uint8Array(0)),
  ]);
}

describe("decodeIndexedPng", () => {
  it("reads back exactly the indices and palette the encoder wrote, with every filter", () => {
    fc.assert(
      fc.property(image, fc.constantFrom<FilterChoice>("none", "sub", "up"), (img, filter) => {
        const decoded = decodeIndexedPng(encodeIndexedPngWith(img, { filter, compress: compressRle }));
        expect(decoded).toEqual({ ...img, indices: img.indices, paletteRgb: img.paletteRgb });
      }),
      { numRuns: 150 },
    );
  });

  it("undoes the Average and Paeth filters too", () => {
    fc.assert(
      fc.property(image, fc.constantFrom<3 | 4>(3, 4), (img, type) => {
        expect(decodeIndexedPng(pngWithFilter(img, type)).indices).toEqual(img.indices);
      }),
      { numRuns: 100 },
    );
  });

  const sample: IndexedImage = {
    width: 5,
    height: 4,
    indices: Uint8Array.from({ length: 20 }, (_, i) => i % 3),
    paletteRgb: new Uint8Array(9).fill(7),
  };

  it("refuses damaged bytes instead of returning pixels", () => {
    const good = encodeIndexedPng(sample);
    const idat = Buffer.from(good).indexOf("IDAT");
    const flipped = good.slice();
    flipped[idat + 6] ^= 0x10; // inside the IDAT payload: the chunk CRC no longer matches
    expect(() => decodeIndexedPng(flipped)).toThrow(PngDecodeError);
    expect(() => decodeIndexedPng(good.subarray(0, good.length - 20))).toThrow(PngDecodeError);
    expect(() => decodeIndexedPng(good.subarray(1))).toThrow(/signature/);
  });

  it("refuses a stream that inflates to the wrong size even when every CRC is right", () => {
    const short = concatBytes([
      PNG_SIGNATURE,
      pngChunk("IHDR", indexedHeader(5, 4)),
      pngChunk("PLTE", sample.paletteRgb),
      pngChunk("IDAT", deflateSync(new Uint8Array(6 * 3))), // three rows of four
      pngChunk("IEND", new Uint8Array(0)),
    ]);
    expect(() => decodeIndexedPng(short)).toThrow(/wrong number of bytes/);
  });

  it("refuses indices past the palette and PNGs that are not 8-bit indexed", () => {
    const outside = encodeIndexedPng({ ...sample, indices: sample.indices.map((i) => (i === 2 ? 9 : i)) });
    expect(() => decodeIndexedPng(outside)).toThrow(/past the palette/);
    const rgba = new PNG({ width: 2, height: 2 });
    expect(() => decodeIndexedPng(PNG.sync.write(rgba))).toThrow(/only 8-bit indexed/);
  });
});
