import { IMAGE_LIMITS, VIEW_LIMITS } from "../render/index";

/**
 * What each export format allows, for a poster and for a zoom sequence's frame alike. The
 * measurements behind these numbers are in docs/exports.md ("Formats"); this table is their only
 * copy in code. A frame is further bounded as one view of the render core (spec.ts), a tighter
 * bound checked after these, so a size the format cannot hold is named `format` for both kinds.
 *
 * - png: streamed (packages/export/png-stream.ts), memory one band: the job's own bounds.
 * - jpg: streamed as restart-interval segments (packages/export/jpeg-stream.ts), memory one
 *   segment: the job's own bounds (JPEG itself allows 65535 px per side).
 * - webp: libwebp encodes a whole picture, and WebP stores each side in 14 bits (16383 px at most).
 *   A worker-shaped process peaks at ~200 MB + ~10.6 bytes/px while assembling one (measured,
 *   docs/exports.md), so 10^8 px (10000², 16383 × 6103) peaks at ~1.2 GB, inside the worker's
 *   1769 MB with room for the Lambda runtime.
 */
export const FORMAT_LIMITS = {
  png: { maxSide: 16384, maxPixels: 16384 * 16384 },
  jpg: { maxSide: 16384, maxPixels: 16384 * 16384 },
  webp: { maxSide: 16383, maxPixels: 10_000 * 10_000 },
} as const;

export type ExportFormat = keyof typeof FORMAT_LIMITS;

/** jpg and webp quality of /render (functions/lib/image-handler.ts), posters and frames: an export looks like its view. */
export const LOSSY_QUALITY = 90;

/**
 * Bounds of one export job, published in /meta (`exportLimits`).
 *
 * - maxSide 16384: the largest poster issue 12 asks for (a 16384² PNG prints 1.4 m wide at 300 dpi).
 * - maxWork: pixels × iteration budget of the whole job. 16384² at a budget of 4096 (pixel zoom ≈ 32)
 *   is 1.1e12 iterations; a part is at most VIEW_LIMITS.maxWork (4e9, "a few seconds" of the SIMD
 *   kernel), so a job is at most ~275 part-sized renders: a bounded bill and minutes of queue time,
 *   never an unbounded one. Deeper zooms (budget up to 50,000) get proportionally fewer pixels.
 * - formats / formatLimits: the formats of a poster and of a zoom sequence's frames, and what
 *   each allows (FORMAT_LIMITS).
 * - maxFrames: a zoom sequence's frames; each frame is a /render-sized image.
 * Zoom and coordinate bounds are /render's (IMAGE_LIMITS): one pixel-zoom rule for every image.
 */
export const EXPORT_LIMITS = {
  maxSide: 16384,
  maxPixels: 16384 * 16384,
  maxWork: 16384 * 16384 * 4096,
  maxAbsCoordinate: IMAGE_LIMITS.maxAbsCoordinate,
  minZoom: IMAGE_LIMITS.minZoom,
  maxZoom: IMAGE_LIMITS.maxZoom,
  /** Every part is a view the render core accepts as it is (VIEW_LIMITS). */
  partMaxSide: VIEW_LIMITS.maxSide,
  partMaxPixels: VIEW_LIMITS.maxPixels,
  partMaxWork: VIEW_LIMITS.maxWork,
  formats: Object.keys(FORMAT_LIMITS) as readonly ExportFormat[],
  formatLimits: FORMAT_LIMITS,
  /** Frames of a zoom sequence: 600 is 20 s at 30 fps; each frame is one part. */
  maxFrames: 600,
} as const;

/** The rule a poster's or a frame's size breaks in `format`, or undefined when the format can hold it. */
export function formatSizeProblem(format: ExportFormat, width: number, height: number): string | undefined {
  const { maxSide, maxPixels } = FORMAT_LIMITS[format];
  if (width > maxSide || height > maxSide) return `${format} allows at most ${maxSide} px per side`;
  if (width * height > maxPixels)
    return `${format} allows at most ${maxPixels} px in all (width × height = ${width * height}); use png or jpg`;
  return undefined;
}
