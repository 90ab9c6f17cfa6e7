/**
 * A poster split into parts: a grid of rectangles, each one a view the render core accepts as it
 * is (VIEW_LIMITS: side, pixels and work), so one queue message renders one part in one
 * invocation. Parts are numbered row-major; a band is one row of parts (same rows of the poster),
 * which is what the assembler needs in memory at once: at most maxSide × band height bytes.
 */
import { parseDecimalRational } from "../deep/fixed";
import { budgetForPixelZoom, pixelSizeOfZoom, type ViewSpec } from "../render/index";
import { EXPORT_LIMITS } from "./limits";
import type { PosterSpec, ZoomSpec } from "./spec";

export interface PartRect {
  index: number;
  x0: number;
  y0: number;
  width: number;
  height: number;
}

export interface PartPlan {
  columns: number;
  bands: number;
  count: number;
  partWidth: number;
  bandHeight: number;
}

export function planParts(spec: Pick<PosterSpec, "width" | "height" | "maxIter">): PartPlan {
  const columns = Math.ceil(spec.width / EXPORT_LIMITS.partMaxSide);
  const partWidth = Math.ceil(spec.width / columns);
  const byPixels = Math.floor(EXPORT_LIMITS.partMaxPixels / partWidth);
  const byWork = Math.floor(EXPORT_LIMITS.partMaxWork / (partWidth * spec.maxIter));
  const bandHeight = Math.max(1, Math.min(byPixels, byWork, EXPORT_LIMITS.partMaxSide, spec.height));
  const bands = Math.ceil(spec.height / bandHeight);
  return { columns, bands, count: columns * bands, partWidth, bandHeight };
}

export function partRect(spec: Pick<PosterSpec, "width" | "height">, plan: PartPlan, index: number): PartRect {
  if (!Number.isInteger(index) || index < 0 || index >= plan.count)
    throw new RangeError(`part ${index} is not in 0..${plan.count - 1}`);
  const column = index % plan.columns;
  const band = Math.floor(index / plan.columns);
  const x0 = column * plan.partWidth;
  const y0 = band * plan.bandHeight;
  return {
    index,
    x0,
    y0,
    width: Math.min(plan.partWidth, spec.width - x0),
    height: Math.min(plan.bandHeight, spec.height - y0),
  };
}

/** The parts of one band, left to right. */
export function bandParts(spec: Pick<PosterSpec, "width" | "height">, plan: PartPlan, band: number): PartRect[] {
  return Array.from({ length: plan.columns }, (_, c) => partRect(spec, plan, band * plan.columns + c));
}

/**
 * The view of one part: its own centre, the poster's pixel size, so its pixels are exactly the
 * poster's pixels in that rectangle (pixel centres at left + (i + ½)·size, as for tiles). The
 * centre is given both ways: float64 (shallow views) and as exact decimal text (`exact`), the
 * poster's centre plus the part's offset, which the render core uses from DEEP_FROM_ZOOM on.
 */
export function partView(spec: PosterSpec, rect: PartRect): ViewSpec {
  const pixelSize = pixelSizeOfZoom(spec.zoom);
  // Offsets in pixels from the poster's centre to the part's: half-integers, at most 16384.
  const dx = rect.x0 + rect.width / 2 - spec.width / 2;
  const dy = rect.y0 + rect.height / 2 - spec.height / 2;
  const digits = fractionDigitsFor(spec.zoom);
  return {
    centerRe: Number(spec.re) + dx * pixelSize,
    centerIm: Number(spec.im) - dy * pixelSize,
    pixelSize,
    width: rect.width,
    height: rect.height,
    palette: spec.palette,
    maxIter: spec.maxIter,
    exact: {
      re: addDecimal(spec.re, dx * pixelSize, digits),
      im: addDecimal(spec.im, -dy * pixelSize, digits),
      zoom: spec.zoom,
    },
  };
}

/**
 * Decimal places for a part's centre: 2^-(zoom + 64) and finer, far below the deep renderer's
 * unit (2^-(zoom + 9 + 20 guard bits)), so a part's centre rounds to the same unit as the
 * poster's centre plus the offset would: parts then have exactly the pixels of the whole view.
 */
export function fractionDigitsFor(zoom: number): number {
  return Math.max(0, Math.ceil(Math.log10(2) * (zoom + 64))) + 4;
}

/**
 * `exact + offset` as decimal text rounded to `digits` places. The offset (a part's distance from
 * the poster's centre) is a float64, taken at its exact binary value; the sum is exact rational
 * arithmetic, so every digit of the centre that matters survives.
 */
export function addDecimal(exact: string, offset: number, digits: number): string {
  const a = parseDecimalRational(exact);
  const b = exactRational(offset);
  const num = (a.num * b.den + b.num * a.den) * 10n ** BigInt(digits);
  const den = a.den * b.den;
  // Round half away from zero to `digits` places.
  const negative = num < 0n;
  const rounded = ((negative ? -num : num) * 2n + den) / (2n * den);
  const text = rounded.toString().padStart(digits + 1, "0");
  const whole = text.slice(0, text.length - digits);
  const fraction = text.slice(text.length - digits).replace(/0+$/, "");
  const sign = negative && rounded !== 0n ? "-" : "";
  return fraction ? `${sign}${whole}.${fraction}` : `${sign}${whole}`;
}

/** A finite float64 as an exact fraction num / 10^k (every binary fraction is a finite decimal). */
function exactRational(x: number): { num: bigint; den: bigint } {
  if (!Number.isFinite(x)) throw new RangeError(`offset ${x} is not finite`);
  if (x === 0) return { num: 0n, den: 1n };
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const high = view.getUint32(0);
  const exponentBits = (high >>> 20) & 0x7ff;
  let mantissa = (BigInt(high & 0xfffff) << 32n) | BigInt(view.getUint32(4));
  let exponent = -1074; // subnormal
  if (exponentBits !== 0) {
    mantissa |= 1n << 52n;
    exponent = exponentBits - 1075;
  }
  const signed = high >>> 31 ? -mantissa : mantissa;
  if (exponent >= 0) return { num: signed << BigInt(exponent), den: 1n };
  // m / 2^k = m·5^k / 10^k
  return { num: signed * 5n ** BigInt(-exponent), den: 10n ** BigInt(-exponent) };
}

/** One band's rows from its parts' indices (each part row-major, parts left to right). */
export function joinBand(posterWidth: number, parts: readonly { rect: PartRect; indices: Uint8Array }[]): Uint8Array {
  const height = parts[0].rect.height;
  const band = new Uint8Array(posterWidth * height);
  for (const { rect, indices } of parts) {
    if (rect.height !== height || indices.length !== rect.width * rect.height) {
      throw new RangeError(`part ${rect.index} holds ${indices.length} bytes, expected ${rect.width}×${rect.height}`);
    }
    for (let y = 0; y < height; y++)
      band.set(indices.subarray(y * rect.width, (y + 1) * rect.width), y * posterWidth + rect.x0);
  }
  return band;
}

/** Frame n of a zoom sequence: the same centre, zoom evenly spaced from fromZoom to toZoom. */
export function frameView(spec: ZoomSpec, frame: number): ViewSpec & { maxIter: number } {
  if (!Number.isInteger(frame) || frame < 0 || frame >= spec.frames)
    throw new RangeError(`frame ${frame} is not in 0..${spec.frames - 1}`);
  const zoom = spec.fromZoom + ((spec.toZoom - spec.fromZoom) * frame) / (spec.frames - 1);
  return {
    centerRe: Number(spec.re),
    centerIm: Number(spec.im),
    pixelSize: pixelSizeOfZoom(zoom),
    width: spec.width,
    height: spec.height,
    palette: spec.palette,
    maxIter: budgetForPixelZoom(zoom),
    exact: { re: spec.re, im: spec.im, zoom },
  };
}

/** `frame-0007.jpg`: numbered so file lists sort in playing order, named for the frames' format. */
export function frameFileName(spec: Pick<ZoomSpec, "frames" | "format">, frame: number): string {
  return `frame-${String(frame).padStart(String(spec.frames - 1).length, "0")}.${spec.format}`;
}
