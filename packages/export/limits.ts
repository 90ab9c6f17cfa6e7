import { IMAGE_LIMITS, VIEW_LIMITS } from "../render/index";

/**
 * Bounds of one export job, published in /meta (`exportLimits`).
 *
 * - maxSide 16384: the largest poster issue 12 asks for (a 16384² PNG prints 1.4 m wide at 300 dpi).
 * - maxWork: pixels × iteration budget of the whole job. 16384² at a budget of 4096 (pixel zoom ≈ 32)
 *   is 1.1e12 iterations; a part is at most VIEW_LIMITS.maxWork (4e9, "a few seconds" of the SIMD
 *   kernel), so a job is at most ~275 part-sized renders: a bounded bill and minutes of queue time,
 *   never an unbounded one. Deeper zooms (budget up to 50,000) get proportionally fewer pixels.
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
  formats: ["png"] as readonly string[],
  /** Frames of a zoom sequence: 600 is 20 s at 30 fps; each frame is one part. */
  maxFrames: 600,
} as const;
