/**
 * How tile indices x and y are spelled in URLs and cache keys: base 36, digits
 * 0-9 then a-z, lower case, no leading zeros, "0" for zero. One spelling per
 * tile, so one URL and one cache key per tile. Base 36 rather than decimal
 * because at deep zoom the indices are huge (x < 2^z): 2^2000 has 603 decimal
 * digits but 387 base-36 digits, which is what keeps the S3 key of the deepest
 * tile under 1024 bytes (the arithmetic is in grid.ts, at MAX_ZOOM).
 */

export const COORDINATE_ENCODING = "base36";
export const COORDINATE_RADIX = 36;

/** The canonical base-36 spelling of a non-negative index. */
export function encodeTileIndex(value: bigint): string {
  if (value < 0n) throw new RangeError("a tile index is never negative");
  return value.toString(COORDINATE_RADIX);
}

/** Base-36 digits needed for any index below 2^z (the largest is 2^z − 1). */
export function maxIndexDigits(z: number): number {
  return z === 0 ? 1 : ((1n << BigInt(z)) - 1n).toString(COORDINATE_RADIX).length;
}

export const CANONICAL_BASE36 = /^(0|[1-9a-z][0-9a-z]*)$/;

// 36^10 < 2^53, so a chunk of ten digits converts exactly through parseInt.
const CHUNK = 10;

/**
 * The value of a string already known to match CANONICAL_BASE36. BigInt()
 * itself reads only decimal, hex, octal and binary, so the digits are read in
 * chunks: linear in the length, which the caller bounds before calling.
 */
export function decodeBase36(digits: string): bigint {
  let value = 0n;
  for (let at = 0; at < digits.length; at += CHUNK) {
    const chunk = digits.slice(at, at + CHUNK);
    value = value * BigInt(COORDINATE_RADIX) ** BigInt(chunk.length) + BigInt(parseInt(chunk, COORDINATE_RADIX));
  }
  return value;
}
