/**
 * A zoom sequence's frame as the file its zip holds, in the job's format. The worker that renders
 * a frame encodes it, so encoding is spread over the parts like rendering, and assembly only
 * copies finished files into the zip.
 *
 * - png: the tile encoder (8-bit indexed, one shot: a frame is at most one view, 2.36 Mpx).
 * - jpg: the posters' encoder (jpeg-js, fixed tables, LOSSY_QUALITY) in one call, as the frame is
 *   in memory anyway (encodeJpegImage): the same bytes on every platform, and a frame looks like
 *   a poster of the same view.
 * - webp: the injected encoder (Skia's libwebp, export-webp.ts), as for posters.
 */
import { colourTable } from "../../packages/colour/index";
import { encodeJpegImage, type ExportFormat } from "../../packages/export/index";
import type { PaletteName } from "../../packages/render/index";
import { encodeIndexedPng } from "../../packages/png/index";

/**
 * Encodes a webp picture from its rows (export-webp.ts encodeWebpPicture). Injected, not imported:
 * it carries the canvas native addon, which only the hosts that render parts ship.
 */
export type WebpEncoder = (
  options: { width: number; height: number; rgba32: Uint32Array },
  bands: AsyncIterable<Uint8Array>,
) => Promise<Uint8Array>;

export interface FrameImage {
  width: number;
  height: number;
  /** Palette indices, row-major. */
  indices: Uint8Array;
  palette: PaletteName;
}

export async function encodeFrame(
  format: ExportFormat,
  frame: FrameImage,
  encodeWebp: WebpEncoder | undefined,
): Promise<Uint8Array> {
  const { width, height, indices } = frame;
  const table = colourTable(frame.palette);
  if (format === "png") return encodeIndexedPng({ width, height, indices, paletteRgb: table.rgb });
  if (format === "jpg") return encodeJpegImage({ width, height, rgba32: table.rgba32 }, indices);
  if (!encodeWebp) throw new Error("this host has no webp encoder");
  return encodeWebp({ width, height, rgba32: table.rgba32 }, oneBand(indices));
}

async function* oneBand(indices: Uint8Array): AsyncGenerator<Uint8Array> {
  yield indices;
}
