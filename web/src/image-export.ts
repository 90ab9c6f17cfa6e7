// The "save image" request: the whole-image endpoint renders the current view
// (same centre, same framing) at a size the user picks.

import { formatCoordinate, trimDecimal } from "./plane";
import type { ViewState } from "./view-state";

export const IMAGE_FORMATS = ["png", "jpg", "webp"] as const;
export type ImageFormat = (typeof IMAGE_FORMATS)[number];

export interface Size {
  width: number;
  height: number;
}

/**
 * The image zoom that keeps everything visible in `viewport` (CSS px) inside
 * an image of `size` px: scaling by min(W/w, H/h) adds log2 of it to the zoom.
 */
export function imageZoom(zoom: number, viewport: Size, size: Size): number {
  const scale = Math.min(size.width / viewport.width, size.height / viewport.height);
  return zoom + Math.log2(scale);
}

export function renderImageUrl(apiBase: string, view: ViewState, viewport: Size, size: Size, format: ImageFormat): string {
  const zoom = imageZoom(view.zoom, viewport, size);
  const params = new URLSearchParams({
    re: formatCoordinate(view.re, zoom),
    im: formatCoordinate(view.im, zoom),
    zoom: trimDecimal(zoom.toFixed(6)),
    width: String(Math.round(size.width)),
    height: String(Math.round(size.height)),
    palette: view.palette,
  });
  return `${apiBase}/render.${format}?${params.toString()}`;
}

export function imageFileName(view: ViewState, size: Size, format: ImageFormat): string {
  const z = trimDecimal(view.zoom.toFixed(2));
  return `fractile-${view.palette}-z${z}-${size.width}x${size.height}.${format}`;
}
