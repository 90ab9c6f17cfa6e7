/**
 * What each frame format costs a zoom sequence: per frame, the encode time a worker adds to its
 * render (encodeFrame, the worker's own code), the file's bytes, and how far a lossy frame is from
 * the png frame's pixels (PSNR, decoded by Skia). A last row per size encodes the jpg frames with
 * the posters' streaming encoder instead, the alternative encodeJpegImage was chosen over. The
 * numbers are in docs/exports.md ("Zoom sequences"); rendering is the same for every format and
 * is left out.
 *
 *   npm run measure:zoom-frames [-- --frames 12 --sizes 640x360,1280x720,1920x1080]
 */
import { parseArgs } from "node:util";
import { createCanvas, loadImage } from "@napi-rs/canvas";
import { colourTable, indicesToRgba } from "../packages/colour/index";
import {
  EXPORT_LIMITS,
  encodeJpegStream,
  frameView,
  parseExportSpec,
  type ExportFormat,
} from "../packages/export/index";
import { renderViewIndices } from "../packages/render/index";
import { encodeFrame } from "../functions/lib/export-frame";
import { encodeWebpPicture } from "../functions/lib/export-webp";
import { psnr } from "../test/image-compare";

const { values } = parseArgs({
  options: {
    frames: { type: "string", default: "12" },
    sizes: { type: "string", default: "640x360,1280x720,1920x1080" },
  },
});

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function decodedRgba(bytes: Uint8Array): Promise<Uint8ClampedArray> {
  const image = await loadImage(Buffer.from(bytes));
  const canvas = createCanvas(image.width, image.height);
  canvas.getContext("2d").drawImage(image, 0, 0);
  return canvas.getContext("2d").getImageData(0, 0, image.width, image.height).data;
}

console.log("| Frame | Format | Encode ms/frame (median) | KB/frame (mean) | PSNR vs png, dB (median) |");
console.log("|---|---|---:|---:|---:|");
for (const size of values.sizes.split(",")) {
  const [width, height] = size.split("x").map(Number);
  // Into the seahorse valley: detail in every frame, as in a real sequence.
  const spec = parseExportSpec({
    kind: "zoom",
    re: "-0.743643887037151",
    im: "0.13182590420533",
    fromZoom: 2,
    toZoom: 24,
    frames: Number(values.frames),
    width,
    height,
  });
  if (spec.kind !== "zoom") throw new Error("expected a zoom spec");
  const frames = Array.from({ length: spec.frames }, (_, n) => renderViewIndices(frameView(spec, n)));
  const table = colourTable(spec.palette);
  for (const format of EXPORT_LIMITS.formats as readonly ExportFormat[]) {
    const ms: number[] = [];
    const bytes: number[] = [];
    const quality: number[] = [];
    for (const indices of frames) {
      const started = performance.now();
      const file = await encodeFrame(format, { width, height, indices, palette: spec.palette }, encodeWebpPicture);
      ms.push(performance.now() - started);
      bytes.push(file.length);
      if (format !== "png") quality.push(psnr(await decodedRgba(file), indicesToRgba(indices, table.rgba32)));
    }
    const kb = bytes.reduce((a, b) => a + b, 0) / bytes.length / 1024;
    const db = quality.length > 0 ? median(quality).toFixed(1) : "lossless";
    console.log(`| ${width} × ${height} | ${format} | ${median(ms).toFixed(0)} | ${kb.toFixed(0)} | ${db} |`);
  }
  const streamMs: number[] = [];
  for (const indices of frames) {
    const started = performance.now();
    const rows = (async function* () {
      yield indices;
    })();
    for await (const _ of encodeJpegStream({ width, height, rgba32: table.rgba32 }, rows));
    streamMs.push(performance.now() - started);
  }
  console.log(`| ${width} × ${height} | jpg, streamed in segments | ${median(streamMs).toFixed(0)} | | |`);
}
