/**
 * A poster split into parts: a grid of rectangles, each one a view the render core accepts as it
 * is (VIEW_LIMITS: side, pixels and work), so one queue message renders one part in one
 * invocation. Parts are numbered row-major; a band is one row of parts (same rows of the poster),
 * which is what the assembler needs in memory at once: at most maxSide × band height bytes.
 */
import { pixelSizeOfZoom, type ViewSpec } from "../render/index";
import { EXPORT_LIMITS } from "./limits";
import type { PosterSpec } from "./spec";

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
  if (!Number.isInteger(index) || index < 0 || index >= plan.count) throw new RangeError(`part ${index} is not in 0..${plan.count - 1}`);
  const column = index % plan.columns;
  const band = Math.floor(index / plan.columns);
  const x0 = column * plan.partWidth;
  const y0 = band * plan.bandHeight;
  return { index, x0, y0, width: Math.min(plan.partWidth, spec.width - x0), height: Math.min(plan.bandHeight, spec.height - y0) };
}

/** The parts of one band, left to right. */
export function bandParts(spec: Pick<PosterSpec, "width" | "height">, plan: PartPlan, band: number): PartRect[] {
  return Array.from({ length: plan.columns }, (_, c) => partRect(spec, plan, band * plan.columns + c));
}

/**
 * The view of one part: its own centre, the poster's pixel size, so its pixels are exactly the
 * poster's pixels in that rectangle (pixel centres at left + (i + ½)·size, as for tiles).
 * Coordinates go to float64 here, which is honest down to IMAGE_LIMITS.maxZoom; the decimal
 * strings stay in the job for a deep renderer.
 */
export function partView(spec: PosterSpec, rect: PartRect): ViewSpec {
  const pixelSize = pixelSizeOfZoom(spec.zoom);
  const left = Number(spec.re) - (spec.width / 2) * pixelSize;
  const top = Number(spec.im) + (spec.height / 2) * pixelSize;
  return {
    centerRe: left + (rect.x0 + rect.width / 2) * pixelSize,
    centerIm: top - (rect.y0 + rect.height / 2) * pixelSize,
    pixelSize,
    width: rect.width,
    height: rect.height,
    palette: spec.palette,
    maxIter: spec.maxIter,
  };
}

/** One band's rows from its parts' indices (each part row-major, parts left to right). */
export function joinBand(posterWidth: number, parts: readonly { rect: PartRect; indices: Uint8Array }[]): Uint8Array {
  const height = parts[0].rect.height;
  const band = new Uint8Array(posterWidth * height);
  for (const { rect, indices } of parts) {
    if (rect.height !== height || indices.length !== rect.width * rect.height) {
      throw new RangeError(`part ${rect.index} holds ${indices.length} bytes, expected ${rect.width}×${rect.height}`);
    }
    for (let y = 0; y < height; y++) band.set(indices.subarray(y * rect.width, (y + 1) * rect.width), y * posterWidth + rect.x0);
  }
  return band;
}
