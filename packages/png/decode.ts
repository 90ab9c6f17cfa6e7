import { crc32, inflateSync } from "node:zlib";
import { PNG_SIGNATURE, type IndexedImage } from "./encode";

/**
 * Reads back an indexed PNG of the kind `encodeIndexedPng` writes (colour type 3, bit depth 8,
 * not interlaced) to its palette indices. Exports fill poster parts from cached tiles with it
 * (docs/exports.md, "Reusing cached tiles"). pngjs, the PNG library the tests use, always expands
 * a palette to RGBA, and going back from colours to indices is ambiguous when two entries share a
 * colour; this is the short way round. Every chunk's CRC and zlib's Adler-32 are checked and any
 * other kind of PNG is refused, so damaged bytes throw instead of becoming pixels.
 */
export class PngDecodeError extends Error {
  constructor(reason: string) {
    super(`png: ${reason}`);
    this.name = "PngDecodeError";
  }
}

const COLOUR_TYPE_INDEXED = 3;

export function decodeIndexedPng(bytes: Uint8Array): IndexedImage {
  if (bytes.length < PNG_SIGNATURE.length || PNG_SIGNATURE.some((b, i) => bytes[i] !== b)) {
    throw new PngDecodeError("not a PNG (signature)");
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let width = 0;
  let height = 0;
  let paletteRgb: Uint8Array | undefined;
  const idat: Uint8Array[] = [];
  let ended = false;
  for (let at = PNG_SIGNATURE.length; !ended; ) {
    if (at + 12 > bytes.length) throw new PngDecodeError("truncated chunk");
    const length = view.getUint32(at);
    if (at + 12 + length > bytes.length) throw new PngDecodeError("truncated chunk");
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    const data = bytes.subarray(at + 8, at + 8 + length);
    if (crc32(bytes.subarray(at + 4, at + 8 + length)) !== view.getUint32(at + 8 + length)) {
      throw new PngDecodeError(`${type} chunk CRC mismatch`);
    }
    at += 12 + length;
    if (type === "IHDR") {
      if (length !== 13) throw new PngDecodeError("IHDR must be 13 bytes");
      const header = new DataView(data.buffer, data.byteOffset, 13);
      width = header.getUint32(0);
      height = header.getUint32(4);
      const [depth, colourType, compression, filter, interlace] = data.subarray(8);
      if (depth !== 8 || colourType !== COLOUR_TYPE_INDEXED || compression !== 0 || filter !== 0 || interlace !== 0) {
        throw new PngDecodeError("only 8-bit indexed, non-interlaced PNGs are read");
      }
      if (width < 1 || height < 1) throw new PngDecodeError("empty image");
    } else if (type === "PLTE") paletteRgb = data.slice();
    else if (type === "IDAT") idat.push(data);
    else if (type === "IEND") ended = true;
  }
  if (width === 0) throw new PngDecodeError("no IHDR");
  if (!paletteRgb || paletteRgb.length === 0 || paletteRgb.length % 3 !== 0) throw new PngDecodeError("no PLTE");
  const stride = width + 1;
  let filtered: Uint8Array;
  try {
    // maxOutputLength: a header lying about its size cannot make zlib inflate without bound.
    filtered = inflateSync(Buffer.concat(idat), { maxOutputLength: stride * height + 1 });
  } catch (error) {
    throw new PngDecodeError(`IDAT does not inflate (${(error as Error).message})`);
  }
  if (filtered.length !== stride * height) throw new PngDecodeError("IDAT holds the wrong number of bytes");
  const indices = unfilter(filtered, width, height);
  const entries = paletteRgb.length / 3;
  for (let i = 0; i < indices.length; i++) {
    if (indices[i] >= entries) throw new PngDecodeError(`index ${indices[i]} is past the palette's ${entries} entries`);
  }
  return { width, height, indices, paletteRgb };
}

/** Undoes the five PNG filter types for one byte per pixel. */
function unfilter(filtered: Uint8Array, width: number, height: number): Uint8Array {
  const out = new Uint8Array(width * height);
  const stride = width + 1;
  for (let y = 0; y < height; y++) {
    const type = filtered[y * stride];
    const src = y * stride + 1;
    const row = y * width;
    const up = row - width; // only read when y > 0
    for (let x = 0; x < width; x++) {
      const a = x > 0 ? out[row + x - 1] : 0;
      const b = y > 0 ? out[up + x] : 0;
      const c = x > 0 && y > 0 ? out[up + x - 1] : 0;
      let predicted: number;
      if (type === 0) predicted = 0;
      else if (type === 1) predicted = a;
      else if (type === 2) predicted = b;
      else if (type === 3) predicted = (a + b) >> 1;
      else if (type === 4) predicted = paeth(a, b, c);
      else throw new PngDecodeError(`unknown filter type ${type} on row ${y}`);
      out[row + x] = filtered[src + x] + predicted;
    }
  }
  return out;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  if (pa <= pb && pa <= pc) return a;
  return pb <= pc ? b : c;
}
