// "Export poster": a queued job (POST /exports, docs/exports.md) for the current view at a
// poster size, the framing of "save image" (same centre, everything visible stays visible),
// shrunk to the server's published export limits like the image link is to /render's.

import { formatFixed, parseDecimal } from "../../packages/deep/fixed";
import { MAX_ZOOM } from "../../packages/tile/index";
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
