/**
 * PNG scanline filters for 1-byte-per-pixel (indexed) images. Each row of the
 * output is one filter-type byte followed by the filtered row.
 */
export type FilterChoice = "none" | "sub" | "up" | "adaptive";

const NONE = 0;
const SUB = 1;
const UP = 2;

export function filterScanlines(pixels: Uint8Array, width: number, height: number, choice: FilterChoice): Uint8Array {
  const stride = width + 1;
  const out = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    const prev = y === 0 ? -1 : row - width;
    const o = y * stride;
    const type =
      choice === "adaptive" ? pickFilter(pixels, row, prev, width)
      : choice === "sub" ? SUB
      : choice === "up" && prev >= 0 ? UP
      : NONE;
    out[o] = type;
    if (type === NONE) {
      out.set(pixels.subarray(row, row + width), o + 1);
    } else if (type === SUB) {
      out[o + 1] = pixels[row];
      for (let x = 1; x < width; x++) out[o + 1 + x] = (pixels[row + x] - pixels[row + x - 1]) & 0xff;
    } else {
      for (let x = 0; x < width; x++) out[o + 1 + x] = (pixels[row + x] - pixels[prev + x]) & 0xff;
    }
  }
  return out;
}

/**
 * Per-row choice for run-length coding: the filter whose output has the fewest
 * byte changes (i.e. the longest runs), ties to None. The usual "minimum sum of
 * absolute differences" heuristic targets Huffman coding of photos, not runs.
 */
function pickFilter(pixels: Uint8Array, row: number, prev: number, width: number): number {
  let noneChanges = 0;
  let subChanges = 0;
  let upChanges = 0;
  let lastSub = -1;
  let lastUp = -1;
  for (let x = 1; x < width; x++) {
    const p = pixels[row + x];
    if (p !== pixels[row + x - 1]) noneChanges++;
    const sub = (p - pixels[row + x - 1]) & 0xff;
    if (sub !== lastSub) subChanges++;
    lastSub = sub;
    if (prev >= 0) {
      const up = (p - pixels[prev + x]) & 0xff;
      if (up !== lastUp) upChanges++;
      lastUp = up;
    }
  }
  let best = NONE;
  let bestChanges = noneChanges;
  if (subChanges < bestChanges) (best = SUB), (bestChanges = subChanges);
  if (prev >= 0 && upChanges < bestChanges) best = UP;
  return best;
}
