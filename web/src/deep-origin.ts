// Deep zoom in a float64 map: Leaflet keeps its coordinates in doubles, which
// place a pixel only down to about z44. So Leaflet never sees the whole grid
// at depth: its zoom-0 world is one tile of the grid, the ORIGIN (a BigInt
// tile at some zoom), and Leaflet zoom L shows fractile zoom origin.zoom + L.
// When L leaves a comfortable band the viewer picks a new origin (the tile
// holding the centre some levels above) and resets Leaflet to the same centre
// and zoom: nothing moves on screen. Positions that must survive any depth
// (the URL, the pointer, /point) are GridPoints: exact BigInt fixed point.
// Pure: no Leaflet or DOM, unit-tested in node.

import { AREA } from "./plane";

/**
 * A point of the grid in fixed point: u = x / 2^bits, v = y / 2^bits, where
 * [0,1]² is the zoom-0 tile, u to the right and v downwards
 * (re = −2.5 + 4u, im = 2 − 4v). Dyadic, so exact at any depth.
 */
export interface GridPoint {
  x: bigint;
  y: bigint;
  bits: number;
}

/** The grid tile that is Leaflet's zoom-0 world. */
export interface Origin {
  zoom: number;
  x: bigint;
  y: bigint;
}

export const WHOLE_GRID: Origin = { zoom: 0, x: 0n, y: 0n };

/**
 * Fraction bits kept below the origin tile. Leaflet's local coordinates are
 * doubles in about [0, 1) with 53 significant bits; 60 keeps every one of them.
 */
export const LOCAL_BITS = 60;

/**
 * Leaflet zooms the viewer lets Leaflet work in. At L = 24 a pixel is 2^-32 of
 * the origin tile, still 2^21 times a double's step near 1; re-anchoring puts
 * Leaflet back at ANCHOR_ZOOM, so a wheel or a pinch never reaches the edge.
 */
export const COMFORT = { min: 4, max: 24, anchor: 12 } as const;

/** Where Leaflet's tile (L, x, y) lies on the server's grid. */
export function fractileTile(
  origin: Origin,
  leafletZoom: number,
  x: number,
  y: number,
): { z: number; x: bigint; y: bigint } {
  const shift = BigInt(leafletZoom);
  return { z: origin.zoom + leafletZoom, x: (origin.x << shift) + BigInt(x), y: (origin.y << shift) + BigInt(y) };
}

/** Leaflet's local position (lng = u, lat = −v across the origin tile) as an exact grid point. */
export function localToGrid(origin: Origin, lng: number, lat: number): GridPoint {
  const scale = 2 ** LOCAL_BITS;
  return {
    x: (origin.x << BigInt(LOCAL_BITS)) + BigInt(Math.round(lng * scale)),
    y: (origin.y << BigInt(LOCAL_BITS)) + BigInt(Math.round(-lat * scale)),
    bits: origin.zoom + LOCAL_BITS,
  };
}

/** The grid point in Leaflet's local coordinates under `origin` (as exact as a double allows). */
export function gridToLocal(origin: Origin, point: GridPoint): { lng: number; lat: number } {
  const p = withBits(point, Math.max(point.bits, origin.zoom));
  let shift = p.bits - origin.zoom;
  let dx = p.x - (origin.x << BigInt(shift));
  let dy = p.y - (origin.y << BigInt(shift));
  // Keep 2^shift finite: bits beyond 80 below the origin tile are far below a double's reach anyway.
  if (shift > 80) {
    dx >>= BigInt(shift - 80);
    dy >>= BigInt(shift - 80);
    shift = 80;
  }
  return { lng: Number(dx) / 2 ** shift, lat: -Number(dy) / 2 ** shift };
}

/** The same point with `bits` fraction bits (rounding towards −∞ when bits shrink). */
export function withBits(point: GridPoint, bits: number): GridPoint {
  if (bits >= point.bits) {
    const up = BigInt(bits - point.bits);
    return { x: point.x << up, y: point.y << up, bits };
  }
  const down = BigInt(point.bits - bits);
  return { x: point.x >> down, y: point.y >> down, bits };
}

/** The grid tile at `zoom` holding the point, kept inside the grid. */
export function originAt(point: GridPoint, zoom: number): Origin {
  const p = withBits(point, zoom);
  const last = (1n << BigInt(zoom)) - 1n;
  const clamp = (v: bigint) => (v < 0n ? 0n : v > last ? last : v);
  return { zoom, x: clamp(p.x), y: clamp(p.y) };
}

/**
 * The origin to move to when Leaflet's zoom has left the comfortable band,
 * or undefined to stay. The new origin sits ANCHOR levels above the view,
 * so Leaflet continues at about COMFORT.anchor.
 */
export function reanchor(origin: Origin, leafletZoom: number, centre: GridPoint): Origin | undefined {
  const inBand = leafletZoom >= COMFORT.min && leafletZoom <= COMFORT.max;
  if (inBand || (origin.zoom === 0 && leafletZoom < COMFORT.max)) return undefined;
  const zoom = Math.max(0, Math.floor(origin.zoom + leafletZoom) - COMFORT.anchor);
  if (zoom === origin.zoom) return undefined;
  return zoom === 0 ? WHOLE_GRID : originAt(centre, zoom);
}

/** The Leaflet zoom that shows fractile zoom `zoom` under `origin`. */
export function leafletZoomFor(origin: Origin, zoom: number): number {
  return zoom - origin.zoom;
}

/** The origin a view at fractile `zoom` around `centre` starts with. */
export function originFor(centre: GridPoint, zoom: number): Origin {
  const base = Math.max(0, Math.floor(zoom) - COMFORT.anchor);
  return base === 0 ? WHOLE_GRID : originAt(centre, base);
}

/** re and im as decimal strings rounded to `digits` decimals (half away from zero), trailing zeros trimmed. */
export function gridToDecimal(point: GridPoint, digits: number): { re: string; im: string } {
  const one = 1n << BigInt(point.bits);
  // re = reMin + width·u and im = imMax − width·v, in units of 2^-(bits+1) so −2.5 stays whole.
  const width = BigInt(AREA.reMax - AREA.reMin);
  const reNum = BigInt(AREA.reMin * 2) * one + 2n * width * point.x;
  const imNum = BigInt(AREA.imMax * 2) * one - 2n * width * point.y;
  return { re: ratioToDecimal(reNum, point.bits + 1, digits), im: ratioToDecimal(imNum, point.bits + 1, digits) };
}

/** num / 2^shift as a decimal with at most `digits` decimals. */
export function ratioToDecimal(num: bigint, shift: number, digits: number): string {
  const negative = num < 0n;
  const magnitude = negative ? -num : num;
  const denominator = 1n << BigInt(shift);
  const scaled = (magnitude * 10n ** BigInt(digits) * 2n + denominator) / (2n * denominator);
  let text = scaled.toString().padStart(digits + 1, "0");
  if (digits > 0) text = `${text.slice(0, -digits)}.${text.slice(-digits)}`.replace(/\.?0+$/, "");
  return negative && scaled !== 0n ? `-${text}` : text;
}

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d{1,5}))?$/;

/** A decimal string as an exact fraction m / 10^d, or undefined when it is not one. */
export function parseDecimal(text: string): { m: bigint; d: number } | undefined {
  const match = DECIMAL.exec(text.trim());
  if (!match) return undefined;
  const [, sign, whole, fraction = "", exponent = "0"] = match;
  if (whole === "" && fraction === "") return undefined;
  let m = BigInt(`${whole}${fraction}` || "0");
  let d = fraction.length - Number(exponent);
  if (d < 0) {
    m *= 10n ** BigInt(-d);
    d = 0;
  }
  return { m: sign === "-" ? -m : m, d };
}

/** Decimal re and im as a grid point with `bits` fraction bits (nearest), or undefined when unreadable. */
export function decimalToGrid(re: string, im: string, bits: number): GridPoint | undefined {
  const r = parseDecimal(re);
  const i = parseDecimal(im);
  if (!r || !i) return undefined;
  const one = 1n << BigInt(bits);
  const width = BigInt(AREA.reMax - AREA.reMin);
  // u = (re − reMin) / width and v = (imMax − im) / width, both as m / 10^d.
  const rd = 10n ** BigInt(r.d);
  const id = 10n ** BigInt(i.d);
  const x = roundDiv((2n * r.m - BigInt(AREA.reMin * 2) * rd) * one, 2n * width * rd);
  const y = roundDiv((BigInt(AREA.imMax) * id - i.m) * one, width * id);
  return { x, y, bits };
}

function roundDiv(num: bigint, den: bigint): bigint {
  const q = num / den;
  const r = num - q * den;
  if (2n * (r < 0n ? -r : r) >= den) return num < 0n ? q - 1n : q + 1n;
  return q;
}
