import * as zlib from "node:zlib";
import { encodeIndexedPngWith, type Compressor, type IndexedImage } from "./encode";

export {
  PNG_SIGNATURE,
  concatBytes,
  encodeIndexedPngWith,
  indexedHeader,
  pngChunk,
  type Compressor,
  type EncodeOptions,
  type IndexedImage,
} from "./encode";
export { filterScanlines, type FilterChoice } from "./filters";

/**
 * The encoder settings of every tile: filter Up on every row, then node:zlib deflate with
 * strategy Z_RLE: the fastest deterministic candidate and about the smallest (measurements and
 * reasons in packages/png/README.md). Deterministic matters because cache keys, ETags and the
 * golden hashes need the same bytes on every machine: zlib's default strategies pick their
 * match-finder hash by CPU, while Z_RLE never consults it (determinism.test.ts keeps checking).
 * The level does not change Z_RLE's output.
 */
const Z_RLE_OPTIONS: zlib.ZlibOptions = { level: 9, strategy: zlib.constants.Z_RLE };

export const compressRle: Compressor = (data) => zlib.deflateSync(data, Z_RLE_OPTIONS);

/** Identifies the encoder settings; part of the render version. */
export const PNG_ENCODER_ID = "indexed8-up-zlib-rle";

export function encodeIndexedPng(image: IndexedImage): Uint8Array {
  return encodeIndexedPngWith(image, { filter: "up", compress: compressRle });
}
export { PngDecodeError, decodeIndexedPng } from "./decode";
