// "Export poster": a queued job (POST /exports, docs/exports.md) for the current view at a
// poster size, the framing of "save image" (same centre, everything visible stays visible),
// shrunk to the server's published export limits like the image link is to /render's.

import type { ImageLimits } from "./api";
import { exportCentre, zoomParameter } from "./export-job";
import { planImage, type ImagePlan, type Size } from "./image-export";
import type { ViewState } from "./view-state";

/** Long side of the poster presets. */
export const POSTER_SIDES = [4096, 8192, 16384] as const;

/** The poster's size: `side` on the viewport's longer axis, the other side in proportion. */
export function posterSize(side: number, viewport: Size): Size {
  const wide = viewport.width >= viewport.height;
  const short = Math.max(
    1,
    Math.round((side * Math.min(viewport.width, viewport.height)) / Math.max(viewport.width, viewport.height)),
  );
  return wide ? { width: side, height: short } : { width: short, height: side };
}

export interface PosterRequest {
  plan: ImagePlan;
  body: { re: string; im: string; zoom: number; width: number; height: number; palette: string };
}

export function posterRequest(view: ViewState, viewport: Size, side: number, limits: ImageLimits): PosterRequest {
  const plan = planImage(view.zoom, viewport, posterSize(side, viewport), limits);
  return {
    plan,
    body: {
      ...exportCentre(view, plan.zoom),
      zoom: zoomParameter(plan.zoom),
      width: plan.size.width,
      height: plan.size.height,
      palette: view.palette,
    },
  };
}
