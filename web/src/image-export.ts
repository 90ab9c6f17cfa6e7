// The "save image" request: the whole-image endpoint renders the current view
// (same centre, same framing) at a size the user picks, shrunk when needed to
// what the server accepts, so the link never ends in a 413.

import { budgetForPixelZoom } from "../../packages/tile/index";
import type { ImageLimits } from "./api";
import { formatCoordinate, trimDecimal } from "./plane";
import type { ViewState } from "./view-state";

export const IMAGE_FORMATS = ["png", "jpg", "webp"] as const;
export type ImageFormat = (typeof IMAGE_FORMATS)[number];
/** How the panel's format choices name each format ("save image", "export poster" and "export zoom" alike). */
export const FORMAT_LABELS: Record<ImageFormat, string> = { png: "PNG", jpg: "JPEG", webp: "WebP" };

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

export interface ImagePlan {
  size: Size;
  zoom: number;
  /** True when the wanted size was shrunk to fit the server's limits. */
  limited: boolean;
}

/** The largest size up to `wanted` that /render accepts at this view, given its published limits. */
export function planImage(zoom: number, viewport: Size, wanted: Size, limits: ImageLimits): ImagePlan {
  // Shrinking lowers both the pixel count and the zoom (so the iteration budget):
  // a few per cent at a time finds the largest size that fits in < 150 steps.
  for (let shrink = 1; shrink > 0.005; shrink *= 0.97) {
    const size = {
      width: Math.max(1, Math.floor(wanted.width * shrink)),
      height: Math.max(1, Math.floor(wanted.height * shrink)),
    };
    const z = imageZoom(zoom, viewport, size);
    if (withinLimits(size, z, limits)) return { size, zoom: z, limited: shrink < 1 };
  }
  // Nothing fits (a view outside the server's zoom range): let the server say why.
  return { size: wanted, zoom: imageZoom(zoom, viewport, wanted), limited: false };
}

function withinLimits(size: Size, zoom: number, L: ImageLimits): boolean {
  const pixels = size.width * size.height;
  return (
    size.width <= L.maxSide &&
    size.height <= L.maxSide &&
    pixels <= L.maxPixels &&
    // The server's own budget rule (the viewer bundles the pure packages/tile module).
    pixels * budgetForPixelZoom(zoom) <= L.maxWork &&
    // The URL carries the zoom to 6 decimals: keep clear of the edges by more than its rounding.
    zoom >= L.minZoom + 1e-6 &&
    zoom <= L.maxZoom - 1e-6
  );
}

export function renderImageUrl(apiBase: string, view: ViewState, plan: ImagePlan, format: ImageFormat): string {
  const params = new URLSearchParams({
    re: view.exact?.re ?? formatCoordinate(view.re, plan.zoom),
    im: view.exact?.im ?? formatCoordinate(view.im, plan.zoom),
    zoom: trimDecimal(plan.zoom.toFixed(6)),
    width: String(plan.size.width),
    height: String(plan.size.height),
    palette: view.palette,
  });
  return `${apiBase}/render.${format}?${params.toString()}`;
}

export function imageFileName(view: ViewState, size: Size, format: ImageFormat): string {
  const z = trimDecimal(view.zoom.toFixed(2));
  return `fractile-${view.palette}-z${z}-${size.width}x${size.height}.${format}`;
}
