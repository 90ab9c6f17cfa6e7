import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { PNG } from "pngjs";
import { compressRle, encodeIndexedPng, encodeIndexedPngWith, filterScanlines, type FilterChoice } from "./index";

/** What the PNG should decode to: each index looked up in the palette, opaque. */
function expectedRgba(indices: Uint8Array, paletteRgb: Uint8Array): number[] {
  return [...indices].flatMap((i) => [paletteRgb[i * 3], paletteRgb[i * 3 + 1], paletteRgb[i * 3 + 2], 255]);
}

function decode(bytes: Uint8Array): { width: number; height: number; rgba: number[] } {
  const png = PNG.sync.read(Buffer.from(bytes));
  return { width: png.width, height: png.height, rgba: [...png.data] };
}

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
      // Runs of repeated indices, like escape bands, plus noise.
      indices: fc
        .array(fc.tuple(fc.integer({ min: 0, max: entries - 1 }), fc.integer({ min: 1, max: 12 })), { minLength: 1 })
        .map((runs) => {
          const out = new Uint8Array(width * height);
          let k = 0;
          for (let i = 0; i < out.length; i++) {
            const [value, length] = runs[k % runs.length];
            out[i] = value;
            if (i % length === length - 1) k++;
          }
          return out;
        }),
      paletteRgb: fc.uint8Array({ minLength: entries * 3, maxLength: entries * 3 }),
    }),
  );

describe("encodeIndexedPng", () => {
  it("writes colour type 3, bit depth 8, with a PLTE chunk", () => {
    const bytes = encodeIndexedPng({
      width: 3,
      height: 2,
      indices: new Uint8Array([0, 1, 2, 2, 1, 0]),
      paletteRgb: new Uint8Array(9),
    });
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    expect(String.fromCharCode(...bytes.subarray(12, 16))).toBe("IHDR");
    expect(bytes[24]).toBe(8); // bit depth
    expect(bytes[25]).toBe(3); // colour type: indexed
    expect(String.fromCharCode(...bytes.subarray(37, 41))).toBe("PLTE");
    expect(view.getUint32(33)).toBe(9); // PLTE length: 3 entries
  });

  it("decodes (pngjs) to exactly the palette colours of the indices", () => {
    fc.assert(
      fc.property(image, (img) => {
        const decoded = decode(encodeIndexedPng(img));
        expect(decoded.width).toBe(img.width);
        expect(decoded.height).toBe(img.height);
        expect(decoded.rgba).toEqual(expectedRgba(img.indices, img.paletteRgb));
      }),
      { numRuns: 150 },
    );
  });

  it("decodes correctly with every scanline filter", () => {
    fc.assert(
      fc.property(image, fc.constantFrom<FilterChoice>("none", "sub", "up"), (img, filter) => {
        const decoded = decode(encodeIndexedPngWith(img, { filter, compress: compressRle }));
        expect(decoded.rgba).toEqual(expectedRgba(img.indices, img.paletteRgb));
      }),
      { numRuns: 150 },
    );
  });

  it("gives the same bytes for the same input", () => {
    fc.assert(
      fc.property(image, (img) => {
        expect(
          Buffer.from(encodeIndexedPng(img)).equals(
            Buffer.from(encodeIndexedPng({ ...img, indices: img.indices.slice() })),
          ),
        ).toBe(true);
      }),
      { numRuns: 50 },
    );
  });

  it("rejects inconsistent images instead of writing a broken file", () => {
    const paletteRgb = new Uint8Array(6);
    expect(() => encodeIndexedPng({ width: 2, height: 2, indices: new Uint8Array(3), paletteRgb })).toThrow(RangeError);
    expect(() => encodeIndexedPng({ width: 0, height: 2, indices: new Uint8Array(0), paletteRgb })).toThrow(RangeError);
    expect(() =>
      encodeIndexedPng({ width: 1, height: 1, indices: new Uint8Array(1), paletteRgb: new Uint8Array(4) }),
    ).toThrow(RangeError);
  });
});

describe("filterScanlines", () => {
  it("prefixes every row with its filter type and stores Up as the difference to the row above", () => {
    const pixels = new Uint8Array([5, 6, 7, 5, 8, 0]);
    expect([...filterScanlines(pixels, 3, 2, "up")]).toEqual([0, 5, 6, 7, 2, 0, 2, 249]);
    // Whole 32-bit words take the SWAR path: differences must stay bytewise (no borrow between lanes).
    const words = new Uint8Array([0, 255, 128, 1, 1, 0, 127, 255]);
    expect([...filterScanlines(words, 4, 2, "up")]).toEqual([0, 0, 255, 128, 1, 2, 1, 1, 255, 254]);
    expect([...filterScanlines(pixels, 3, 2, "sub")]).toEqual([1, 5, 1, 1, 1, 5, 3, 248]);
    expect([...filterScanlines(pixels, 3, 2, "none")]).toEqual([0, 5, 6, 7, 0, 5, 8, 0]);
  });
});

describe("chunk CRCs", () => {
  it("end the file with the standard IEND chunk, whose CRC-32 every PNG shares", () => {
    const onePixel = { width: 1, height: 1, indices: new Uint8Array([0]), paletteRgb: new Uint8Array([1, 2, 3]) };
    const png = encodeIndexedPng(onePixel);
    // Length 0, "IEND", CRC-32 of "IEND" = 0xae426082 (PNG specification, section 11.2.5).
    expect(Buffer.from(png.subarray(-12)).toString("hex")).toBe("0000000049454e44ae426082");
  });

  it("are checked by an independent decoder on arbitrary images", () => {
    fc.assert(
      fc.property(image, (img) => {
        expect(() => PNG.sync.read(Buffer.from(encodeIndexedPng(img)), { checkCRC: true })).not.toThrow();
      }),
    );
  });
});
