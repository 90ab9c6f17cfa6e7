/**
 * One point, inspected in BigInt fixed point (the truth the deep tiles are checked against):
 * escape count, smooth value, the budget of its zoom and, for interior points, the period of the
 * attracting cycle. Served by `GET /point?re=&im=&zoom=`.
 *
 * Period: the attracting cycle found by cycle.ts (atom-domain candidates verified by Newton).
 *
 * Work is bounded: the budget (at most MAX_BUDGET iterations), plus at most PERIOD_WORK_FACTOR
 * times the budget for the period search, at precisionBitsForZoom(zoom) bits.
 */
import { extendEscapeOrbit, extendedIteration, extendedMagnitudeSq, smoothFromExtendedOrbit } from "../kernel/smooth";
import { budgetForPixelZoom } from "../tile/budget";
import { ValidationError } from "../tile/errors";
import { MAX_ZOOM } from "../tile/grid";
import { findAttractingCycle, iterateOrbit } from "./cycle";
import { DecimalSyntaxError, fixedToFloat64, formatFixed, parseDecimal } from "./fixed";

export interface PointInspection {
  /** The point as inspected: the input rounded to `precisionBits` fraction bits, in decimal. */
  re: string;
  im: string;
  zoom: number;
  /** The iteration budget of tiles at this zoom (packages/tile/budget.ts). */
  budget: number;
  /** Escaped before the budget ran out (the tile renderers' rule: count < budget). */
  escaped: boolean;
  /** Iterations until |z| > 2, or the budget if the point did not escape. */
  count: number;
  /** The smooth value the tile kernels store (float32), -1 for interior. */
  smooth: number;
  /** Period of the attracting cycle, for interior points where one was found within bounded work. */
  period: number | null;
  precisionBits: number;
}

/** Guard bits beyond the @2x pixel size at `zoom`: the orbit is that of a point within 2^-48 pixels. */
const GUARD_BITS = 48;
/** The period search may spend at most this many times the budget in fixed-point iterations. */
export const PERIOD_WORK_FACTOR = 4;

/** Fraction bits for a point at `zoom`: below the @2x pixel (2^-(zoom+7)) by GUARD_BITS. */
export function precisionBitsForZoom(zoom: number): number {
  return Math.ceil(zoom) + 7 + GUARD_BITS;
}

function parseCoordinate(field: string, text: unknown, bits: number): bigint {
  if (typeof text !== "string") throw new ValidationError(field, "must be a decimal string");
  try {
    return parseDecimal(text, bits);
  } catch (error) {
    if (error instanceof DecimalSyntaxError) throw new ValidationError(field, error.message);
    throw error;
  }
}

function parseZoom(zoom: unknown): number {
  if (typeof zoom !== "number" || !Number.isFinite(zoom) || zoom < 0 || zoom > MAX_ZOOM) {
    throw new ValidationError("zoom", `must be a number from 0 to ${MAX_ZOOM}`);
  }
  return zoom;
}

export function inspectPoint(re: string, im: string, zoom: number): PointInspection {
  const z = parseZoom(zoom);
  const bits = precisionBitsForZoom(z);
  const cr = parseCoordinate("re", re, bits);
  const ci = parseCoordinate("im", im, bits);
  return {
    re: formatFixed(cr, bits),
    im: formatFixed(ci, bits),
    zoom: z,
    ...inspectFixed(cr, ci, bits, budgetForPixelZoom(z)),
  };
}

export type FixedInspection = Omit<PointInspection, "re" | "im" | "zoom">;

/** The inspection of c = (cr + i·ci) / 2^bits with a given budget (inputs already validated). */
export function inspectFixed(cr: bigint, ci: bigint, bits: number, budget: number): FixedInspection {
  const orbit = iterateOrbit(cr, ci, bits, budget);
  const base = { budget, precisionBits: bits };
  if (orbit.count < budget) {
    const zx = fixedToFloat64(orbit.x, bits);
    const zy = fixedToFloat64(orbit.y, bits);
    extendEscapeOrbit(orbit.count, zx, zy, fixedToFloat64(cr, bits), fixedToFloat64(ci, bits));
    const smooth = Math.fround(smoothFromExtendedOrbit(extendedIteration, extendedMagnitudeSq));
    return { ...base, escaped: true, count: orbit.count, smooth, period: null };
  }
  const cycle = orbit.escapedAt === null ? findAttractingCycle(cr, ci, bits, orbit, PERIOD_WORK_FACTOR * budget) : null;
  return { ...base, escaped: false, count: budget, smooth: -1, period: cycle?.period ?? null };
}
