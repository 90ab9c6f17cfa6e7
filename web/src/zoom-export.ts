// "Export zoom": a zoom sequence job (POST /exports with kind "zoom", docs/exports.md) into the
// current view's centre, from a shallow zoom where the whole set fits the frame to the current
// view's framing, at a frame size, frame count and frame format the user picks, shrunk to the
// server's published export limits: every frame is one part (a view the render core takes whole)
// in a size its format holds, and the frames together count against the job's work bound.

import { TILE_SIZE } from "../../packages/tile/grid";
import type { ExportLimits, ImageLimits } from "./api";
import { exportCentre, zoomParameter } from "./export-job";
import { imageZoom, planImage, type ImageFormat, type ImagePlan, type Size } from "./image-export";
import { formatBounds, posterSize } from "./poster-export";
import type { ZoomSpec } from "../../packages/export/spec";
import type { ViewState } from "./view-state";

export interface ZoomRequest {
  plan: ImagePlan;
  fromZoom: number;
  /** The POST /exports body: the server's ZoomSpec, palette as the viewer names it. */
  body: Omit<ZoomSpec, "palette"> & { palette: string };
}

/** What one frame may be when `frames` of them make one job, in `format`. */
export function frameLimits(limits: ExportLimits, frames: number, format: ImageFormat = "png"): ImageLimits {
  const held = formatBounds(limits, format);
  return {
    maxSide: Math.min(limits.partMaxSide, held.maxSide),
    maxPixels: Math.min(limits.partMaxPixels, held.maxPixels),
    // The deepest frame is the costliest; planning it at maxWork / frames bounds the whole job.
    maxWork: Math.min(limits.partMaxWork, Math.floor(limits.maxWork / frames)),
    minZoom: limits.minZoom,
    maxZoom: limits.maxZoom,
  };
}

/**
 * `side` is the frame's long side, in the viewport's proportions; the last frame is framed like
 * "save image" (everything visible stays visible), the first shows the whole zoom-0 square.
 */
export function zoomRequest(
  view: ViewState,
  viewport: Size,
  side: number,
  frames: number,
  limits: ExportLimits,
  format: ImageFormat = "png",
): ZoomRequest {
  const plan = planImage(view.zoom, viewport, posterSize(side, viewport), frameLimits(limits, frames, format));
  const wholeSet = imageZoom(0, { width: TILE_SIZE, height: TILE_SIZE }, plan.size);
  const fromZoom = Math.min(plan.zoom, Math.max(limits.minZoom, wholeSet));
  return {
    plan,
    fromZoom,
    body: {
      kind: "zoom",
      ...exportCentre(view, plan.zoom),
      fromZoom: zoomParameter(fromZoom),
      toZoom: zoomParameter(plan.zoom),
      frames,
      width: plan.size.width,
      height: plan.size.height,
      palette: view.palette,
      format,
    },
  };
}
