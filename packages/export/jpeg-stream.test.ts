import { ImageData, createCanvas, loadImage } from "@napi-rs/canvas";
import { decode, encode } from "jpeg-js";
import { describe, expect, it } from "vitest";
import { colourTable, indicesToRgba } from "../colour/index";
import { pixelSizeOfZoom, renderViewIndices } from "../render/index";
import { baselineScan, scanDataLength } from "./jpeg-scan";
import { encodeJpegImage, encodeJpegStream, segmentRows, splitJpeg } from "./jpeg-stream";
import { psnr } from "../../test/image-compare";

const TABLE = colourTable("classic");

/** A real render: fractal edges are the hard case for JPEG. Width and height are not multiples of 8. */
function rendered(width: number, height: number): Uint8Array {
  return renderViewIndices({
    centerRe: -0.7453,
    centerIm: 0.1127,
    pixelSize: pixelSizeOfZoom(13),
    width,
    height,
    palette: "classic",
  });
}

async function* inBands(indices: Uint8Array, width: number, rows: number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < indices.length; at += rows * width) yield indices.subarray(at, at + rows * width);
}

async function streamed(indices: Uint8Array, width: number, height: number, bandRows: number): Promise<Buffer> {
  const pieces: Uint8Array[] = [];
  for await (const piece of encodeJpegStream(
    { width, height, rgba32: TABLE.rgba32 },
    inBands(indices, width, bandRows),
  ))
    pieces.push(piece);
  return Buffer.concat(pieces);
}

function markerCount(bytes: Uint8Array, second: (b: number) => boolean): number {
  let n = 0;
  for (let i = 0; i + 1 < bytes.length; i++) if (bytes[i] === 0xff && second(bytes[i + 1])) n++;
  return n;
}

/** Skia's decoder (libjpeg-turbo): a second, strict reader of the file. */
async function decodeWithSkia(bytes: Uint8Array): Promise<{ width: number; height: number; data: Uint8ClampedArray }> {
  const image = await loadImage(Buffer.from(bytes));
  const canvas = createCanvas(image.width, image.height);
  const context = canvas.getContext("2d");
  context.drawImage(image, 0, 0);
  return { width: image.width, height: image.height, data: context.getImageData(0, 0, image.width, image.height).data };
}

describe("encodeJpegStream", () => {
  // 9+ segments, so the restart markers wrap from RST7 to RST0; bands that straddle segments.
  const width = 203;
  const SEGMENT_ROWS = segmentRows(width);
  const height = SEGMENT_ROWS * 9 + 13;
  const indices = rendered(width, height);

  it("decodes to exactly the pixels of one whole-image encoding, whatever the bands' sizes", async () => {
    const oneShot = decode(encode({ data: indicesToRgba(indices, TABLE.rgba32), width, height }, 90).data, {
      useTArray: true,
    });
    for (const bandRows of [1, 37, SEGMENT_ROWS, height]) {
      const file = await streamed(indices, width, height, bandRows);
      const image = decode(file, { useTArray: true });
      expect([image.width, image.height]).toEqual([width, height]);
      expect(Buffer.from(image.data).equals(Buffer.from(oneShot.data)), `bands of ${bandRows} rows`).toBe(true);
    }
  });

  it("encodes an image in memory in one call to the stream's very pixels, with no restart markers", async () => {
    const whole = encodeJpegImage({ width, height, rgba32: TABLE.rgba32 }, indices);
    expect(markerCount(whole, (b) => b === 0xdd || (b >= 0xd0 && b <= 0xd7))).toBe(0);
    const fromStream = decode(await streamed(indices, width, height, height), { useTArray: true });
    expect(Buffer.from(decode(whole, { useTArray: true }).data).equals(Buffer.from(fromStream.data))).toBe(true);
    expect(() => encodeJpegImage({ width, height: height - 1, rgba32: TABLE.rgba32 }, indices)).toThrow(RangeError);
  });

  it("writes one restart marker between segments, cycling RST0..RST7, and one DRI", async () => {
    const file = await streamed(indices, width, height, 50);
    const segments = Math.ceil(height / SEGMENT_ROWS);
    expect(markerCount(file, (b) => b === 0xdd)).toBe(1);
    expect(markerCount(file, (b) => b >= 0xd0 && b <= 0xd7)).toBe(segments - 1);
    expect(markerCount(file, (b) => b === 0xd7)).toBe(1);
    expect(markerCount(file, (b) => b === 0xd0)).toBe(2);
  });

  it("is read by libjpeg-turbo too, within JPEG's tolerance of the png path's pixels", async () => {
    const file = await streamed(indices, width, height, 50);
    const skia = await decodeWithSkia(file);
    expect([skia.width, skia.height]).toEqual([width, height]);
    const exact = indicesToRgba(indices, TABLE.rgba32);
    // Quality 90 on a fractal's sharpest edges: measured 32–33 dB; a misplaced segment or a
    // broken restart interval would be far below 20.
    expect(psnr(skia.data, exact)).toBeGreaterThan(30);
    expect(psnr(decode(file, { useTArray: true }).data, exact)).toBeGreaterThan(30);
  });

  it("gives the same bytes for the same image", async () => {
    const a = await streamed(indices, width, height, 64);
    const b = await streamed(indices, width, height, 41);
    expect(a.equals(b)).toBe(true);
  });

  it("refuses bands that are not whole rows, and too many or too few rows", async () => {
    const run = async (bands: Uint8Array[], h = 2) => {
      async function* source() {
        yield* bands;
      }
      for await (const _ of encodeJpegStream({ width: 4, height: h, rgba32: TABLE.rgba32 }, source()));
    };
    await expect(run([new Uint8Array(6)])).rejects.toThrow(RangeError);
    await expect(run([new Uint8Array(12)])).rejects.toThrow(/more than 2 rows/);
    await expect(run([new Uint8Array(4)])).rejects.toThrow(/got 1 rows/);
  });

  it("keeps one segment in memory: the first bytes come out before the last band is read", async () => {
    let bandsRead = 0;
    async function* counted() {
      for await (const band of inBands(indices, width, SEGMENT_ROWS)) {
        bandsRead++;
        yield band;
      }
    }
    const stream = encodeJpegStream({ width, height, rgba32: TABLE.rgba32 }, counted());
    await stream.next();
    expect(bandsRead).toBe(1);
    await stream.return(undefined);
  });
});

describe("segmentRows", () => {
  it("keeps each restart interval within the DRI's 16 bits at every poster width", () => {
    for (const width of [1, 8, 203, 4096, 16376, 16377, 16384]) {
      const rows = segmentRows(width);
      expect(rows % 8).toBe(0);
      expect(Math.ceil(width / 8) * (rows / 8)).toBeLessThanOrEqual(0xffff);
    }
    expect(segmentRows(16384)).toBe(248);
  });
});

describe("scanDataLength", () => {
  it("finds where a scan's data ends, cutting jpeg-js's whole byte of padding and nothing else", () => {
    let cut = 0;
    for (let width = 8; width <= 200; width += 3) {
      const indices = rendered(width, 16);
      const bytes = encode({ data: indicesToRgba(indices, TABLE.rgba32), width, height: 16 }, 90).data;
      const pieces = splitJpeg(bytes);
      const mcus = Math.ceil(width / 8) * 2;
      const length = scanDataLength(pieces.entropy, baselineScan(pieces.header, pieces.scanHeader), mcus);
      const stored = pieces.entropy.length;
      if (length === stored - 2) {
        expect([...pieces.entropy.subarray(stored - 2)]).toEqual([0xff, 0x00]);
        cut++;
      } else expect(length, `width ${width}`).toBe(stored);
      // Without the cut bytes the image decodes to the same pixels: they held no data.
      const trimmed = Buffer.concat([
        pieces.header,
        pieces.scanHeader,
        pieces.entropy.subarray(0, length),
        Buffer.from([0xff, 0xd9]),
      ]);
      expect(
        Buffer.from(decode(trimmed, { useTArray: true }).data).equals(
          Buffer.from(decode(bytes, { useTArray: true }).data),
        ),
      ).toBe(true);
    }
    // About one scan in eight ends on a byte boundary; 65 sizes must meet some.
    expect(cut).toBeGreaterThan(0);
  });
});

describe("ImageData round trip helper", () => {
  it("Skia reads back what it was given (the comparison above measures the JPEG, not the reader)", async () => {
    const rgba = indicesToRgba(rendered(16, 8), TABLE.rgba32);
    const canvas = createCanvas(16, 8);
    canvas.getContext("2d").putImageData(new ImageData(rgba, 16, 8), 0, 0);
    const back = await decodeWithSkia(await canvas.encode("png"));
    expect(Buffer.from(back.data).equals(Buffer.from(rgba))).toBe(true);
  });
});
