import * as zlib from "node:zlib";
import { encodeIndexedPngWith, type Compressor, type IndexedImage } from "./encode";

export { encodeIndexedPngWith, type Compressor, type EncodeOptions, type IndexedImage } from "./encode";
export { filterScanlines, type FilterChoice } from "./filters";

/**
 * The encoder settings of every tile: filter Up on every row, then node:zlib
 * deflate with strategy Z_RLE. Chosen by measurement
 * (`npm run measure:png`: 256 px tiles, classic
 * palette, median of 40 encodes, 2-core x64 box shared with other work, so
 * the ms are noisy; KB / ms):
 *
 *   candidate                 seahorse z4   overview z0   elephant z4   seahorse z20
 *   zlib Z_RLE, Up (chosen)    4.8 / 0.28   14.8 / 0.66   13.5 / 0.42   41.2 / 1.04
 *   zlib Z_RLE, None           5.1 / 0.33   25.7 / 0.51   25.0 / 0.46   51.3 / 1.16
 *   zlib Z_RLE, Sub            5.0 / 0.64   16.8 / 1.08   16.5 / 0.66   42.7 / 1.76
 *   zlib Z_HUFFMAN_ONLY, Up   12.3 / 0.96   15.5 / 0.63   18.1 / 0.77   43.4 / 1.42
 *   zlib default l6, None †    5.3 / 1.40    8.2 / 1.38   12.8 / 1.04   42.8 / 5.33
 *   zlib default l1, None †    5.6 / 0.20   12.5 / 0.46   15.0 / 0.40   45.6 / 2.09
 *   fflate l1, None            5.2 / 2.44   12.4 / 1.56   14.0 / 1.58   44.2 / 3.60
 *   fflate l6, None            5.3 / 9.27    8.2 / 2.69   12.9 / 6.56   42.7 / 5.79
 *   pako l6, None              5.3 / 10.4    8.1 / 3.00   12.8 / 3.80   42.5 / 14.3
 *   († bytes may differ between CPUs, see below.) A per-row filter choice
 *   (fewest byte changes among None/Sub/Up) never beat Up (4.8 / 22.2 / 13.6 /
 *   43.4 KB in an earlier run) and was dropped. The level does not change
 *   Z_RLE's output (identical bytes for l1 and l9).
 *
 * Why: the bytes must be identical on every machine for one render version
 * (cache keys, ETags and the golden hashes depend on it). Node's bundled zlib
 * picks its match-finder hash by CPU (CRC32 instructions on x64 vs arm64), so
 * the default strategies, which search hash chains, may emit different bytes
 * on Lambda arm64 than here. Z_RLE only matches the previous byte and never
 * consults the hash, so its output depends on the input alone. Evidence:
 * node:zlib 1.3.1 (Chromium, x64) and pako (pure-JS port of zlib 1.2.8) give
 * identical Z_RLE bytes on 18/18 rendered tile × filter cases, while their
 * default-strategy bytes differ (determinism.test.ts keeps checking it); the
 * golden test pins the final bytes. Among the deterministic options Z_RLE + Up
 * is the fastest and, except against the slow pure-JS deflaters on the
 * overview tile, about the smallest: fflate/pako are 4–10× slower for files
 * that are equal or at most 45 % smaller. Up turns the vertical coherence of
 * escape bands into long zero runs, which RLE codes well.
 */
const Z_RLE_OPTIONS: zlib.ZlibOptions = { level: 9, strategy: zlib.constants.Z_RLE };

export const compressRle: Compressor = (data) => zlib.deflateSync(data, Z_RLE_OPTIONS);

/** Identifies the encoder settings; part of the render version. */
export const PNG_ENCODER_ID = "indexed8-up-zlib-rle";

export function encodeIndexedPng(image: IndexedImage): Uint8Array {
  return encodeIndexedPngWith(image, { filter: "up", compress: compressRle });
}
