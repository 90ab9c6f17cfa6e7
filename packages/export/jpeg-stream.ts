/**
 * A JPEG written as a stream: bands of palette indices in, file bytes out, memory one segment of
 * segmentRows(width) rows whatever the poster's height.
 *
 * JPEG's restart intervals make this possible with an ordinary whole-image encoder: after a
 * restart marker (RSTn) a decoder resets its DC predictions and starts on a byte boundary, so
 * the entropy-coded data of each interval depends on nothing before it. Each segment of
 * segmentRows(width) rows is encoded on its own by jpeg-js (baseline, 4:4:4, its fixed Annex K Huffman
 * tables: every segment's tables are the same bytes, which `sameTables` checks), and the file is
 * the first segment's header (SOF height set to the poster's, a DRI marker declaring one segment
 * per interval), then each segment's entropy-coded data behind RST0..RST7 in turn, then EOI. The
 * DCT blocks of the segments are the blocks of the whole image, so the pixels decode exactly as
 * jpeg-js's one-shot encoding of the whole image would (tested). jpeg-js's quirk of a whole byte
 * of padding is cut before each restart marker (jpeg-scan.ts).
 *
 * Why jpeg-js and not @napi-rs/canvas (Skia, libjpeg-turbo, ~6× faster): Skia optimises the
 * Huffman tables per image, so its segments cannot share one header. Measurements:
 * docs/exports.md ("Formats").
 */
import { encode } from "jpeg-js";
import { indicesToRgba } from "../colour/index";
import { concatBytes } from "../png/index";
import { type BaselineScan, baselineScan, scanDataLength } from "./jpeg-scan";
import { LOSSY_QUALITY } from "./limits";

const MCU_SIDE = 8;
/** DRI stores the interval in 16 bits. */
const MAX_RESTART_INTERVAL = 0xffff;
/**
 * At most 32 MCU rows (256 px rows) per segment: every jpeg-js call first builds ~100 ms of tables
 * (measured, docs/exports.md), so segments must be large for that to stay a small share, and at
 * 16384 px wide 256 rows are 4 Mpx, 16 MB of RGBA: memory stays bounded by the width.
 */
const MAX_SEGMENT_MCU_ROWS = 32;

/** Rows per segment (restart interval) at this width: as many as the DRI's 16 bits and the cap allow. */
export function segmentRows(width: number): number {
  const mcusPerRow = Math.ceil(width / MCU_SIDE);
  const mcuRows = Math.min(MAX_SEGMENT_MCU_ROWS, Math.floor(MAX_RESTART_INTERVAL / mcusPerRow));
  if (mcuRows < 1) throw new RangeError(`jpeg stream: ${width} px is too wide for a restart interval`);
  return mcuRows * MCU_SIDE;
}

export interface JpegStreamOptions {
  width: number;
  height: number;
  /** The palette as 0xAABBGGRR words (colourTable(...).rgba32). */
  rgba32: Uint32Array;
  quality?: number;
}

/** A baseline JPEG cut at its start-of-scan: what the segments share, and what each adds. */
export interface JpegPieces {
  /** SOI up to (not including) SOS. */
  header: Uint8Array;
  /** Offset in `header` of the SOF0 frame height (2 bytes, big-endian). */
  heightOffset: number;
  /** The SOS marker segment. */
  scanHeader: Uint8Array;
  /** Entropy-coded data, without the final EOI. */
  entropy: Uint8Array;
}

/**
 * Yields the JPEG's bytes. `bands` gives the image's rows top to bottom, any number of whole rows
 * at a time (width × rows indices each); it is pulled only as fast as the consumer reads.
 */
export async function* encodeJpegStream(
  options: JpegStreamOptions,
  bands: AsyncIterable<Uint8Array>,
): AsyncGenerator<Uint8Array> {
  const { width, height, rgba32 } = options;
  const quality = options.quality ?? LOSSY_QUALITY;
  const rowsPerSegment = segmentRows(width);
  const restartInterval = Math.ceil(width / MCU_SIDE) * (rowsPerSegment / MCU_SIDE);
  if (height > 0xffff) throw new RangeError(`jpeg stream: ${height} rows do not fit a JPEG header`);

  let first: JpegPieces | undefined;
  let scan: BaselineScan | undefined;
  let segment = 0;
  for await (const rows of segments(width, height, rowsPerSegment, bands)) {
    const segmentRows = rows.length / width;
    const pieces = splitJpeg(encode({ data: indicesToRgba(rows, rgba32), width, height: segmentRows }, quality).data);
    const { entropy } = pieces;
    if (entropy.length >= 2 && entropy[entropy.length - 2] === 0xff && entropy[entropy.length - 1] === 0x00) {
      // Maybe a whole byte of padding (jpeg-scan.ts): cut the data where its last block ends.
      scan ??= baselineScan(pieces.header, pieces.scanHeader);
      const mcus = Math.ceil(width / MCU_SIDE) * Math.ceil(segmentRows / MCU_SIDE);
      pieces.entropy = entropy.subarray(0, scanDataLength(entropy, scan, mcus));
    }
    if (!first) {
      first = pieces;
      const header = pieces.header.slice();
      header[pieces.heightOffset] = height >> 8;
      header[pieces.heightOffset + 1] = height & 0xff;
      const dri = Uint8Array.of(0xff, 0xdd, 0x00, 0x04, restartInterval >> 8, restartInterval & 0xff);
      yield concatBytes([header, dri, pieces.scanHeader, pieces.entropy]);
    } else {
      if (!sameTables(first, pieces))
        throw new Error("jpeg stream: the encoder changed its tables between segments; they cannot share a header");
      yield concatBytes([Uint8Array.of(0xff, 0xd0 + ((segment - 1) % 8)), pieces.entropy]);
    }
    segment++;
  }
  if (!first) throw new RangeError("jpeg stream: no rows");
  yield Uint8Array.of(0xff, 0xd9);
}

/**
 * A whole image in one jpeg-js call, for a picture already in memory (a zoom frame, at most one
 * view): the stream's encoder, tables and quality, so the stream's pixels, but one table build
 * instead of one per segment (1.2–1.8× faster over runs on 640 × 360 to 1920 × 1080 frames,
 * `npm run measure:zoom-frames`: docs/exports.md, "Zoom sequences") and no restart markers.
 */
export function encodeJpegImage(options: JpegStreamOptions, indices: Uint8Array): Uint8Array {
  const { width, height, rgba32 } = options;
  if (indices.length !== width * height)
    throw new RangeError(`jpeg image: ${indices.length} indices are not ${width} × ${height}`);
  return encode({ data: indicesToRgba(indices, rgba32), width, height }, options.quality ?? LOSSY_QUALITY).data;
}

/** The rows regrouped into segments of `rowsPerSegment` (the last may be shorter), checked against the header. */
async function* segments(
  width: number,
  height: number,
  rowsPerSegment: number,
  bands: AsyncIterable<Uint8Array>,
): AsyncGenerator<Uint8Array> {
  const full = rowsPerSegment * width;
  let pending = new Uint8Array(full);
  let filled = 0;
  let rows = 0;
  for await (const band of bands) {
    if (band.length === 0 || band.length % width !== 0)
      throw new RangeError(`jpeg stream: a band of ${band.length} bytes is not whole rows of ${width}`);
    rows += band.length / width;
    if (rows > height) throw new RangeError(`jpeg stream: more than ${height} rows`);
    let offset = 0;
    while (offset < band.length) {
      const take = Math.min(full - filled, band.length - offset);
      pending.set(band.subarray(offset, offset + take), filled);
      filled += take;
      offset += take;
      if (filled === full) {
        yield pending;
        pending = new Uint8Array(full); // the consumer may still hold the last one
        filled = 0;
      }
    }
  }
  if (rows !== height) throw new RangeError(`jpeg stream: got ${rows} rows, the header says ${height}`);
  if (filled > 0) yield pending.subarray(0, filled);
}

/** Cuts a baseline JPEG (as jpeg-js writes it) at its SOS marker. */
export function splitJpeg(bytes: Uint8Array): JpegPieces {
  if (bytes[0] !== 0xff || bytes[1] !== 0xd8) throw new Error("jpeg stream: the encoder wrote no SOI");
  let at = 2;
  let heightOffset = -1;
  while (at + 4 <= bytes.length) {
    if (bytes[at] !== 0xff) throw new Error(`jpeg stream: no marker at byte ${at}`);
    const marker = bytes[at + 1];
    const length = (bytes[at + 2] << 8) | bytes[at + 3];
    if (marker === 0xc0)
      heightOffset = at + 5; // FF C0, length (2), precision (1), height (2)
    else if (marker >= 0xc1 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc)
      throw new Error(`jpeg stream: the encoder wrote SOF 0x${marker.toString(16)}, not baseline`);
    if (marker === 0xdd) throw new Error("jpeg stream: the encoder wrote its own restart interval");
    if (marker === 0xda) {
      const end = at + 2 + length;
      const last = bytes.length - 2;
      if (heightOffset < 0 || bytes[last] !== 0xff || bytes[last + 1] !== 0xd9)
        throw new Error("jpeg stream: the encoder wrote no SOF0 or no EOI");
      return {
        header: bytes.subarray(0, at),
        heightOffset,
        scanHeader: bytes.subarray(at, end),
        entropy: bytes.subarray(end, last),
      };
    }
    at += 2 + length;
  }
  throw new Error("jpeg stream: the encoder wrote no SOS");
}

/** The same header and scan header, frame height aside. */
function sameTables(a: JpegPieces, b: JpegPieces): boolean {
  if (a.header.length !== b.header.length || a.heightOffset !== b.heightOffset) return false;
  for (let i = 0; i < a.header.length; i++) {
    if (i === a.heightOffset || i === a.heightOffset + 1) continue;
    if (a.header[i] !== b.header[i]) return false;
  }
  return a.scanHeader.every((byte, i) => byte === b.scanHeader[i]);
}
