/**
 * A WebP poster or zoom frame. libwebp encodes a whole picture, so unlike png and jpg this holds the image:
 * the bands are painted into one canvas as they arrive (4 bytes/px), then Skia's libwebp encodes
 * it (its peak, ~9.5 bytes/px in all, is what FORMAT_LIMITS.webp bounds; docs/exports.md). The
 * same encoder and quality as /render's webp (image-handler.ts), loaded only when a webp poster
 * or frame is encoded, so png and jpg jobs never load the native addon.
 */
import { indicesToRgba } from "../../packages/colour/index";
import { LOSSY_QUALITY } from "../../packages/export/index";

export async function encodeWebpPicture(
  options: { width: number; height: number; rgba32: Uint32Array },
  bands: AsyncIterable<Uint8Array>,
): Promise<Uint8Array> {
  const { width, height, rgba32 } = options;
  const { ImageData, createCanvas } = await import("@napi-rs/canvas");
  const canvas = createCanvas(width, height);
  const context = canvas.getContext("2d");
  let top = 0;
  for await (const band of bands) {
    if (band.length === 0 || band.length % width !== 0)
      throw new RangeError(`webp picture: a band of ${band.length} bytes is not whole rows of ${width}`);
    const rows = band.length / width;
    if (top + rows > height) throw new RangeError(`webp picture: more than ${height} rows`);
    context.putImageData(new ImageData(indicesToRgba(band, rgba32), width, rows), 0, top);
    top += rows;
  }
  if (top !== height) throw new RangeError(`webp picture: got ${top} rows, the header says ${height}`);
  return canvas.encode("webp", LOSSY_QUALITY);
}
