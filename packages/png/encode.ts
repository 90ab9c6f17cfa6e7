import { crc32 } from "node:zlib";
import { filterScanlines, type FilterChoice } from "./filters";

/** zlib-wrapped deflate of the filtered scanlines (the IDAT payload). */
export type Compressor = (data: Uint8Array) => Uint8Array;

export interface IndexedImage {
  width: number;
  height: number;
  /** One palette index per pixel, row-major. */
  indices: Uint8Array;
  /** PLTE payload: 3 bytes per entry, at most 256 entries. */
  paletteRgb: Uint8Array;
}

export interface EncodeOptions {
  filter: FilterChoice;
  compress: Compressor;
}

export const PNG_SIGNATURE = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const COLOUR_TYPE_INDEXED = 3;
const BIT_DEPTH = 8;

export function pngChunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

export function indexedHeader(width: number, height: number): Uint8Array {
  const ihdr = new Uint8Array(13);
  const view = new DataView(ihdr.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  ihdr[8] = BIT_DEPTH;
  ihdr[9] = COLOUR_TYPE_INDEXED;
  // compression 0 (deflate), filter method 0, interlace 0: already zero
  return ihdr;
}

/** PNG colour type 3 (indexed, PLTE), bit depth 8: signature, IHDR, PLTE, IDAT, IEND. */
export function encodeIndexedPngWith(image: IndexedImage, options: EncodeOptions): Uint8Array {
  const { width, height, indices, paletteRgb } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`png: width and height must be positive integers (got ${width}×${height})`);
  }
  if (indices.length !== width * height)
    throw new RangeError(`png: expected ${width * height} indices, got ${indices.length}`);
  if (paletteRgb.length === 0 || paletteRgb.length % 3 !== 0 || paletteRgb.length > 768) {
    throw new RangeError(`png: palette must hold 1–256 RGB entries (got ${paletteRgb.length} bytes)`);
  }
  const idat = options.compress(filterScanlines(indices, width, height, options.filter));
  const parts = [
    PNG_SIGNATURE,
    pngChunk("IHDR", indexedHeader(width, height)),
    pngChunk("PLTE", paletteRgb),
    pngChunk("IDAT", idat),
    pngChunk("IEND", new Uint8Array(0)),
  ];
  return concatBytes(parts);
}

/** The parts one after another in one array. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
