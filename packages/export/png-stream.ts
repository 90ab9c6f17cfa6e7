/**
 * A PNG written as a stream: bands of rows in, file bytes out, so a 16384² poster never needs the
 * whole image (268 MB of indices, more as RGBA) in memory. Memory is one band plus the deflate
 * window and an IDAT chunk buffer: bounded by the poster's width, independent of its height.
 *
 * The bytes follow the tile encoder (packages/png): indexed colour, filter Up on every row (across
 * band boundaries too, so the file equals the one-shot encoder's when deflate's output does),
 * deflate with strategy Z_RLE. The chunk and header code is packages/png's.
 */
import * as zlib from "node:zlib";
import { PNG_SIGNATURE, concatBytes, filterScanlines, indexedHeader, pngChunk } from "../png/index";

/** IDAT chunks of about this size: big enough that chunk overhead (12 bytes) is nothing. */
const IDAT_BYTES = 1 << 20;

export interface PngStreamOptions {
  width: number;
  height: number;
  paletteRgb: Uint8Array;
}

/**
 * Yields the PNG's bytes. `bands` gives the image's rows top to bottom, any number of whole rows
 * at a time (width × rows indices each); it is pulled only as fast as the consumer reads.
 */
export async function* encodePngStream(
  options: PngStreamOptions,
  bands: AsyncIterable<Uint8Array>,
): AsyncGenerator<Uint8Array> {
  const { width, height, paletteRgb } = options;
  yield concatBytes([PNG_SIGNATURE, pngChunk("IHDR", indexedHeader(width, height)), pngChunk("PLTE", paletteRgb)]);

  const deflate = zlib.createDeflate({ level: 9, strategy: zlib.constants.Z_RLE });
  const feeding = feed(deflate, width, height, bands);
  feeding.catch((error: unknown) => deflate.destroy(error as Error));
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  for await (const piece of deflate as AsyncIterable<Buffer>) {
    pending.push(piece);
    pendingBytes += piece.length;
    if (pendingBytes >= IDAT_BYTES) {
      yield pngChunk("IDAT", concatBytes(pending));
      pending = [];
      pendingBytes = 0;
    }
  }
  await feeding;
  if (pendingBytes > 0) yield pngChunk("IDAT", concatBytes(pending));
  yield pngChunk("IEND", new Uint8Array(0));
}

async function feed(
  deflate: zlib.Deflate,
  width: number,
  height: number,
  bands: AsyncIterable<Uint8Array>,
): Promise<void> {
  let rows = 0;
  let previousRow: Uint8Array | undefined;
  for await (const band of bands) {
    if (band.length === 0 || band.length % width !== 0)
      throw new RangeError(`png stream: a band of ${band.length} bytes is not whole rows of ${width}`);
    const bandRows = band.length / width;
    if (rows + bandRows > height) throw new RangeError(`png stream: more than ${height} rows`);
    const filtered = previousRow
      ? filterAfter(previousRow, band, width, bandRows)
      : filterScanlines(band, width, bandRows, "up");
    previousRow = band.slice(band.length - width);
    rows += bandRows;
    if (!deflate.write(filtered))
      await new Promise<void>((resolve, reject) => {
        const onError = (error: Error) => reject(error);
        deflate.once("error", onError);
        deflate.once("drain", () => {
          deflate.off("error", onError);
          resolve();
        });
      });
  }
  if (rows !== height) throw new RangeError(`png stream: got ${rows} rows, the header says ${height}`);
  deflate.end();
}

/** Filter Up with the previous band's last row as the row above the first. */
function filterAfter(previousRow: Uint8Array, band: Uint8Array, width: number, rows: number): Uint8Array {
  const withAbove = new Uint8Array(width * (rows + 1));
  withAbove.set(previousRow);
  withAbove.set(band, width);
  return filterScanlines(withAbove, width, rows + 1, "up").subarray(width + 1);
}
