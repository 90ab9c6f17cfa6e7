// "Export poster": a queued job (POST /exports, docs/exports.md) for the current view at a
// poster size and in a file format, the framing of "save image" (same centre, everything visible
// stays visible), shrunk to what the chosen format holds and to the server's published export
// limits, like the image link is to /render's.

import { formatFixed, parseDecimal } from "../../packages/deep/fixed";
import { MAX_ZOOM } from "../../packages/tile/index";
import type { ExportLimits } from "./api";
import { exportCentre, zoomParameter } from "./export-job";
import { FORMAT_LABELS, planImage, type ImageFormat, type ImagePlan, type Size } from "./image-export";
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

export interface FormatBounds {
  maxSide: number;
  maxPixels: number;
}

/**
 * What the server writes in `format` (`/meta`'s exportLimits.formatLimits, e.g. webp: 16383 px a
 * side, 10^8 px), for posters and zoom frames alike; unbounded where the server publishes nothing
 * for it (its job bounds still apply).
 */
export function formatBounds(limits: ExportLimits, format: ImageFormat): FormatBounds {
  const held = limits.formatLimits?.[format];
  return { maxSide: held?.maxSide ?? Number.POSITIVE_INFINITY, maxPixels: held?.maxPixels ?? Number.POSITIVE_INFINITY };
}

/**
 * The largest size in `wanted`'s proportions within `bounds`: `wanted` itself when it fits. Exact,
 * where planImage's few-per-cent steps would give up 3 % of a 16384 px side for one pixel.
 */
export function fitToFormat(wanted: Size, bounds: FormatBounds): Size {
  const { width, height } = wanted;
  const scale = Math.min(1, bounds.maxSide / Math.max(width, height), Math.sqrt(bounds.maxPixels / (width * height)));
  if (scale >= 1) return wanted;
  const fitted = { width: Math.max(1, Math.floor(width * scale)), height: Math.max(1, Math.floor(height * scale)) };
  // Floating point may leave the product a pixel row over; take one off the long side until it fits.
  while (fitted.width * fitted.height > bounds.maxPixels || Math.max(fitted.width, fitted.height) > bounds.maxSide) {
    if (fitted.width >= fitted.height) fitted.width--;
    else fitted.height--;
  }
  return fitted;
}

export interface PosterRequest {
  plan: ImagePlan;
  /** True when the preset was shrunk to what the format holds (before any shrinking at depth, plan.limited). */
  formatLimited: boolean;
  body: { re: string; im: string; zoom: number; width: number; height: number; palette: string; format: ImageFormat };
}

export function posterRequest(
  view: ViewState,
  viewport: Size,
  side: number,
  limits: ExportLimits,
  format: ImageFormat = "png",
): PosterRequest {
  const bounds = formatBounds(limits, format);
  const wanted = posterSize(side, viewport);
  const fitted = fitToFormat(wanted, bounds);
  const plan = planImage(view.zoom, viewport, fitted, {
    ...limits,
    maxSide: Math.min(limits.maxSide, bounds.maxSide),
    maxPixels: Math.min(limits.maxPixels, bounds.maxPixels),
  });
  return {
    plan,
    formatLimited: fitted !== wanted,
    body: {
      ...exportCentre(view, plan.zoom),
      zoom: zoomParameter(plan.zoom),
      width: plan.size.width,
      height: plan.size.height,
      palette: view.palette,
      format,
    },
  };
}

/**
 * A poster preset's option in the size select: its long side, and the long side it becomes when
 * the chosen format holds less (webp: "16384→13333" in a 16:9 window; no unit, to fit the
 * panel's select), with the reason as its title (tooltip).
 */
export function posterPresetLabel(
  side: number,
  viewport: Size,
  limits: ExportLimits,
  format: ImageFormat,
): { text: string; title: string } {
  const wanted = posterSize(side, viewport);
  const fitted = fitToFormat(wanted, formatBounds(limits, format));
  if (fitted === wanted) return { text: `${side} px`, title: "" };
  return { text: `${side}→${Math.max(fitted.width, fitted.height)}`, title: formatLimitRemark(limits, format) };
}

/** Why a poster is smaller than its preset when its format is what shrank it. */
export function formatLimitRemark(limits: ExportLimits, format: ImageFormat): string {
  const { maxSide, maxPixels } = formatBounds(limits, format);
  const parts = [
    Number.isFinite(maxSide) ? `${maxSide} px a side` : undefined,
    Number.isFinite(maxPixels) ? `${Number((maxPixels / 1e6).toPrecision(4))} Mpx` : undefined,
  ].filter((p) => p !== undefined);
  return `${FORMAT_LABELS[format]} holds at most ${parts.join(" and ")}`;
}

type PosterBody = PosterRequest["body"];

/**
 * The poster nearest `body` whose pixels are the tiles' pixels, so the export reuses the cached
 * tiles and caches the rest (docs/exports.md, "Reusing cached tiles"): the zoom rounded to a whole
 * level, and the centre moved (by less than a pixel) so the poster's edges fall on that level's
 * pixel edges. Tile pixels are 2^-(zoom+6) wide; the left edge (re + 2.5)·2^(zoom+6) − width/2 and
 * the top edge (2 − im)·2^(zoom+6) − height/2 must be whole numbers. Exact: BigInt fixed point.
 * Undefined where such a poster would reach outside the square the tiles cover (a poster of the
 * whole set at a shallow zoom): it is then rendered as framed, without tiles.
 */
export function alignToTiles(body: PosterBody): PosterBody | undefined {
  const zoom = Math.min(MAX_ZOOM, Math.max(0, Math.round(body.zoom)));
  const bits = zoom + 7; // half-pixel units: 2·edge is an integer there
  const one = 1n << BigInt(bits);
  // Edges in half pixels, then rounded to the nearest whole pixel (an even number of halves).
  const toEven = (v: bigint) => {
    const floor = v >= 0n ? v / 2n : -((-v + 1n) / 2n);
    return (v - 2n * floor >= 1n ? floor + 1n : floor) * 2n;
  };
  const left = toEven(parseDecimal(body.re, bits) + (5n * one) / 2n - BigInt(body.width));
  const top = toEven(2n * one - parseDecimal(body.im, bits) - BigInt(body.height));
  const worldHalfPixels = 2n << BigInt(zoom + 8); // 2^zoom tiles of 256 px, in half pixels
  const inside = (edge: bigint, side: number) => edge >= 0n && edge + 2n * BigInt(side) <= worldHalfPixels;
  if (!inside(left, body.width) || !inside(top, body.height)) return undefined;
  return {
    ...body,
    zoom,
    re: formatFixed(left + BigInt(body.width) - (5n * one) / 2n, bits),
    im: formatFixed(2n * one - top - BigInt(body.height), bits),
  };
}
