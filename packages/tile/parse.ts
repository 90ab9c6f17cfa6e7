import { ValidationError } from "./errors";
import { MAX_ZOOM, type TileScale } from "./grid";

export interface TileAddress {
  z: number;
  x: number;
  y: number;
  scale: TileScale;
}

export interface RawTileAddress {
  z: unknown;
  x: unknown;
  y: unknown;
  scale?: unknown;
}

// 2^MAX_ZOOM − 1 has at most 16 decimal digits; anything longer is rejected
// before it is turned into a number, so no string can cost more than this.
const MAX_DIGITS = 16;
const CANONICAL_INTEGER = /^(0|[1-9][0-9]*)$/;

/**
 * A non-negative integer written canonically: decimal digits only, no sign,
 * no exponent, no leading zeros (one URL per tile, so one cache key per tile),
 * no surrounding whitespace.
 */
function parseCanonicalInteger(field: string, raw: unknown): number {
  if (typeof raw !== "string") throw new ValidationError(field, "is required and must be a string of decimal digits");
  if (raw.length === 0) throw new ValidationError(field, "must not be empty");
  if (raw.length > MAX_DIGITS) throw new ValidationError(field, `must have at most ${MAX_DIGITS} digits`);
  if (!CANONICAL_INTEGER.test(raw)) {
    throw new ValidationError(field, "must be a non-negative integer in decimal digits, without sign, exponent or leading zeros");
  }
  return Number(raw); // exact: at most 16 digits and checked against bounds below 2^53
}

export function parseZoom(raw: unknown): number {
  const z = parseCanonicalInteger("z", raw);
  if (z > MAX_ZOOM) throw new ValidationError("z", `must be between 0 and ${MAX_ZOOM}`);
  return z;
}

function parseIndex(field: "x" | "y", raw: unknown, z: number): number {
  const value = parseCanonicalInteger(field, raw);
  const tilesPerSide = 2 ** z; // exact: z ≤ MAX_ZOOM < 53
  if (value >= tilesPerSide) throw new ValidationError(field, `must be below 2^z = ${tilesPerSide} at zoom ${z}`);
  return value;
}

/** `undefined` or `""` is 1x; `"1"` and `"2"` are the only scales. */
export function parseScale(raw: unknown): TileScale {
  if (raw === undefined || raw === "" || raw === "1") return 1;
  if (raw === "2") return 2;
  throw new ValidationError("scale", 'must be "1" or "2" (an @2x tile)');
}

/** Validates the z/x/y/scale parts of a tile URL. Throws only ValidationError. */
export function parseTileAddress(raw: RawTileAddress): TileAddress {
  const z = parseZoom(raw.z);
  const x = parseIndex("x", raw.x, z);
  const y = parseIndex("y", raw.y, z);
  const scale = parseScale(raw.scale);
  return { z, x, y, scale };
}
