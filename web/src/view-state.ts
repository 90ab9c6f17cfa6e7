// The view as the URL fragment holds it: `#z=10&re=-0.7436&im=0.1318&palette=classic`.
// A fragment rather than a query string, so static hosting and CDN caching
// never see it and a permalink works wherever index.html is served.

import { parseDecimal } from "./deep-origin";
import { AREA, formatCoordinate, trimDecimal } from "./plane";

/** re and im as decimal strings of any length: the centre to full precision at any depth. */
export interface ExactCentre {
  re: string;
  im: string;
}

export interface ViewState {
  /** The centre in float64 (enough down to about z44); `exact` is the centre the URL carries when present. */
  re: number;
  im: number;
  exact?: ExactCentre;
  zoom: number;
  palette: string;
}

export interface ViewLimits {
  minZoom: number;
  maxZoom: number;
  palettes: readonly string[];
  /** Longest re/im text accepted: the server's own limit (/meta imageLimits). */
  maxCoordinateChars: number;
}

/** What a fragment says; each part is absent when missing or unusable. */
export interface ParsedView {
  center?: { re: number; im: number };
  /** The centre exactly as written (or as clamped onto the grid). */
  exact?: ExactCentre;
  zoom?: number;
  palette?: string;
}

export function formatViewHash(view: ViewState): string {
  const params = new URLSearchParams({
    z: trimDecimal(view.zoom.toFixed(2)),
    re: view.exact?.re ?? formatCoordinate(view.re, view.zoom),
    im: view.exact?.im ?? formatCoordinate(view.im, view.zoom),
    palette: view.palette,
  });
  return `#${params.toString()}`;
}

export function parseViewHash(hash: string, limits: ViewLimits): ParsedView {
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  const parsed: ParsedView = {};
  const re = finiteNumber(params.get("re"), limits.maxCoordinateChars);
  const im = finiteNumber(params.get("im"), limits.maxCoordinateChars);
  if (re !== undefined && im !== undefined) {
    // A centre outside the grid would show nothing; keep it on the area's edge instead.
    parsed.center = { re: clamp(re, AREA.reMin, AREA.reMax), im: clamp(im, AREA.imMin, AREA.imMax) };
    const inside = parsed.center.re === re && parsed.center.im === im;
    parsed.exact = inside
      ? { re: params.get("re")!.trim(), im: params.get("im")!.trim() }
      : { re: String(parsed.center.re), im: String(parsed.center.im) };
  }
  const zoom = finiteNumber(params.get("z"));
  if (zoom !== undefined) parsed.zoom = clamp(zoom, limits.minZoom, limits.maxZoom);
  const palette = params.get("palette");
  if (palette !== null && limits.palettes.includes(palette)) parsed.palette = palette;
  return parsed;
}

/**
 * The history rule: a change of zoom or palette is a deliberate step and gets
 * its own entry (so Back undoes it); panning only rewrites the current entry,
 * so a drag does not flood the history.
 */
export function historyAction(current: ParsedView, next: ViewState): "push" | "replace" {
  if (current.zoom === undefined || current.palette === undefined) return "replace";
  return current.zoom !== next.zoom || current.palette !== next.palette ? "push" : "replace";
}

function finiteNumber(text: string | null, maxChars = Number.POSITIVE_INFINITY): number | undefined {
  if (text === null || text.trim() === "" || text.length > maxChars) return undefined;
  // Only plain decimals: the exact centre is read from the same text.
  if (!parseDecimal(text)) return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
