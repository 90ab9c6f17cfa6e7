/**
 * A reference orbit Z(m+1) = Z(m)² + C of a point C of an anchor (its centre plus an offset, see
 * select.ts), iterated in BigInt fixed point and stored rounded to float64 (the perturbation loop
 * only needs Z in double).
 */
import { ANCHOR_LEVELS, anchorCentre, anchorId, assertMaxIter, type Anchor } from "./geometry";
import { fixedToFloat64 } from "./fixed";

export interface ReferenceOrbit {
  anchor: Anchor;
  /** The budget it was computed for: Z(0..maxIter) unless it escaped earlier. */
  maxIter: number;
  /** Z(m) for m = 0 … length − 1; Z(0) = 0. */
  re: Float64Array;
  im: Float64Array;
  /** True when |Z(length − 1)| > 2 (the reference escaped there); else length = maxIter + 1. */
  escaped: boolean;
  /** Fixed-point fraction bits the orbit was iterated with. */
  precisionBits: number;
  /**
   * The reference point C: the anchor's centre plus (offsetRe, offsetIm) · 2^-(anchor.z + K + 8),
   * the unit of the anchor's tiles (integers, |offset| < 2^(K+9)).
   */
  offsetRe: number;
  offsetIm: number;
  /**
   * Whether tiles and views under the anchor use BLA: where it pays (bla-choice.ts, decided by
   * computeReference with the orbit and stored with it). False for a bare orbit (iterateReference).
   */
  blaPays: boolean;
  /** Milliseconds spent computing it, reference search included (0 when decoded). */
  ms: number;
}

/** log2 of the unit of reference offsets and tile pixel offsets: 2^-(anchor.z + K + 8). */
export function offsetUnitBits(anchor: Anchor): number {
  return anchor.z + ANCHOR_LEVELS + 8;
}

/** The reference point as exact numerators over 2^offsetUnitBits(anchor). */
export function referencePoint(
  anchor: Anchor,
  offsetRe: number,
  offsetIm: number,
): { re: bigint; im: bigint; fracBits: number } {
  const centre = anchorCentre(anchor);
  const unitBits = offsetUnitBits(anchor);
  const lift = BigInt(unitBits - centre.fracBits);
  return { re: (centre.re << lift) + BigInt(offsetRe), im: (centre.im << lift) + BigInt(offsetIm), fracBits: unitBits };
}

/** Guard bits beyond the finest pixel unit under the anchor (2^-(z+8) for z = anchor.z + K). */
const GUARD_BITS = 64;

export function referencePrecision(anchor: Anchor): number {
  const bits = anchor.z + ANCHOR_LEVELS + 8 + GUARD_BITS;
  return Math.ceil(bits / 32) * 32;
}

/** The orbit of the anchor's centre + offset, to maxIter or its escape. */
export function iterateReference(anchor: Anchor, offsetRe: number, offsetIm: number, maxIter: number): ReferenceOrbit {
  assertMaxIter(maxIter);
  const started = performance.now();
  const f = referencePrecision(anchor);
  const F = BigInt(f);
  const F1 = F - 1n;
  const point = referencePoint(anchor, offsetRe, offsetIm);
  const lift = BigInt(f - point.fracBits);
  const cx = point.re << lift;
  const cy = point.im << lift;
  const four = 4n << F;
  const re = new Float64Array(maxIter + 1);
  const im = new Float64Array(maxIter + 1);
  let x = 0n;
  let y = 0n;
  let length = maxIter + 1;
  let escaped = false;
  for (let m = 0; ; m++) {
    const x2 = (x * x) >> F;
    const y2 = (y * y) >> F;
    if (m > 0) {
      re[m] = fixedToFloat64(x, f);
      im[m] = fixedToFloat64(y, f);
      if (x2 + y2 > four) {
        escaped = true;
        length = m + 1;
        break;
      }
    }
    if (m === maxIter) break;
    const xy = (x * y) >> F1;
    x = x2 - y2 + cx;
    y = xy + cy;
  }
  return {
    anchor,
    maxIter,
    re: escaped ? re.slice(0, length) : re,
    im: escaped ? im.slice(0, length) : im,
    escaped,
    precisionBits: f,
    offsetRe,
    offsetIm,
    blaPays: false,
    ms: performance.now() - started,
  };
}

// Encoding for the tile store: a header that names what the bytes are, then the doubles, then a
// checksum over everything before it. Little-endian throughout.
const MAGIC = 0x46445231; // "FDR1"
/** The encoding's version: part of the cache key (packages/render referenceKey), so versions never share one. */
export const REFERENCE_FORMAT = 3;
const FORMAT = REFERENCE_FORMAT;
// magic, format, maxIter, length, escaped, precisionBits, idLength, offsetRe (i32), offsetIm (i32), blaPays
const HEADER_WORDS = 10;

export function encodeReference(r: ReferenceOrbit): Uint8Array {
  const id = new TextEncoder().encode(anchorId(r.anchor));
  const idPadded = Math.ceil(id.length / 8) * 8;
  const length = r.re.length;
  const total = HEADER_WORDS * 4 + idPadded + length * 16 + 8;
  const bytes = new Uint8Array(total);
  const view = new DataView(bytes.buffer);
  const header = [MAGIC, FORMAT, r.maxIter, length, r.escaped ? 1 : 0, r.precisionBits, id.length];
  for (const [i, value] of header.entries()) view.setUint32(i * 4, value, true);
  view.setInt32(7 * 4, r.offsetRe, true);
  view.setInt32(8 * 4, r.offsetIm, true);
  view.setUint32(9 * 4, r.blaPays ? 1 : 0, true);
  bytes.set(id, HEADER_WORDS * 4);
  let offset = HEADER_WORDS * 4 + idPadded;
  for (let m = 0; m < length; m++) {
    view.setFloat64(offset, r.re[m], true);
    view.setFloat64(offset + 8, r.im[m], true);
    offset += 16;
  }
  const [h1, h2] = checksum(bytes, offset);
  view.setUint32(offset, h1, true);
  view.setUint32(offset + 4, h2, true);
  return bytes;
}

export function decodeReference(bytes: Uint8Array, anchor: Anchor, maxIter: number): ReferenceOrbit {
  const fail = (why: string): never => {
    throw new Error(`reference orbit bytes rejected: ${why}`);
  };
  if (!(bytes instanceof Uint8Array) || bytes.length < HEADER_WORDS * 4 + 8) fail("too short");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const word = (i: number) => view.getUint32(i * 4, true);
  if (word(0) !== MAGIC || word(1) !== FORMAT) fail(`not a reference orbit of format ${FORMAT}`);
  const [storedMaxIter, length, escaped, precisionBits, idLength] = [word(2), word(3), word(4), word(5), word(6)];
  const idPadded = Math.ceil(idLength / 8) * 8;
  const end = HEADER_WORDS * 4 + idPadded + length * 16;
  if (bytes.length !== end + 8) fail("length does not match the header");
  const [h1, h2] = checksum(bytes, end);
  if (view.getUint32(end, true) !== h1 || view.getUint32(end + 4, true) !== h2) fail("checksum mismatch");
  const id = new TextDecoder().decode(bytes.subarray(HEADER_WORDS * 4, HEADER_WORDS * 4 + idLength));
  if (id !== anchorId(anchor)) fail(`anchor ${id} is not ${anchorId(anchor)}`);
  if (storedMaxIter !== maxIter) fail(`budget ${storedMaxIter} is not ${maxIter}`);
  if (precisionBits !== referencePrecision(anchor)) fail("precision does not match this version");
  const offsetRe = view.getInt32(7 * 4, true);
  const offsetIm = view.getInt32(8 * 4, true);
  const offsetLimit = 2 ** (ANCHOR_LEVELS + 9);
  if (Math.abs(offsetRe) >= offsetLimit || Math.abs(offsetIm) >= offsetLimit)
    fail("reference offset outside the anchor");
  const blaPays = word(9);
  if (blaPays > 1) fail("inconsistent header");
  if (escaped > 1 || length < 2 || length > maxIter + 1 || (escaped === 0 && length !== maxIter + 1)) {
    fail("inconsistent header");
  }
  const re = new Float64Array(length);
  const im = new Float64Array(length);
  let offset = HEADER_WORDS * 4 + idPadded;
  for (let m = 0; m < length; m++) {
    re[m] = view.getFloat64(offset, true);
    im[m] = view.getFloat64(offset + 8, true);
    offset += 16;
  }
  return {
    anchor,
    maxIter,
    re,
    im,
    escaped: escaped === 1,
    precisionBits,
    offsetRe,
    offsetIm,
    blaPays: blaPays === 1,
    ms: 0,
  };
}

/** Two independent 32-bit FNV-1a style hashes over bytes[0, end): catches truncation and bit flips. */
function checksum(bytes: Uint8Array, end: number): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ end;
  for (let i = 0; i < end; i++) {
    a = Math.imul(a ^ bytes[i], 0x01000193);
    b = Math.imul(b + bytes[i], 0x5bd1e995) ^ (b >>> 15);
  }
  return [a >>> 0, b >>> 0];
}
