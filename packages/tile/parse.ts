import { CANONICAL_BASE36, decodeBase36, maxIndexDigits } from "./coordinates";
import { ValidationError } from "./errors";
import { MAX_ZOOM, type TileScale } from "./grid";

export interface TileAddress {
  z: number;
  x: bigint;
  y: bigint;
  scale: TileScale;
}

export interface RawTileAddress {
  z: unknown;
  x: unknown;
  y: unknown;
  scale?: unknown;
}

// Anything much longer than the largest valid value is rejected before it is
// matched or converted, so no string can cost more than this.
const MAX_ZOOM_CHARS = 16;
const MAX_INDEX_DIGITS = maxIndexDigits(MAX_ZOOM);
const CANONICAL_DECIMAL = /^(0|[1-9][0-9]*)$/;

function requireString(field: string, raw: unknown, what: string): string {
  if (typeof raw !== "string") throw new ValidationError(field, `is required and must be a string of ${what}`);
  if (raw.length === 0) throw new ValidationError(field, "must not be empty");
  return raw;
}

/**
 * The zoom: a small non-negative integer written canonically in decimal, no
 * sign, exponent, leading zeros or whitespace (one URL per tile).
 */
export function parseZoom(raw: unknown): number {
  const text = requireString("z", raw, "decimal digits");
  if (text.length > MAX_ZOOM_CHARS) throw new ValidationError("z", `must be between 0 and ${MAX_ZOOM}`);
  if (!CANONICAL_DECIMAL.test(text)) {
    throw new ValidationError(
      "z",
      "must be a non-negative integer in decimal digits, without sign, exponent or leading zeros",
    );
  }
  const z = Number(text);
  if (z > MAX_ZOOM) throw new ValidationError("z", `must be between 0 and ${MAX_ZOOM}`);
  return z;
}

/** x or y: base 36 (coordinates.ts), canonical, below 2^z. */
function parseIndex(field: "x" | "y", raw: unknown, z: number): bigint {
  const text = requireString(field, raw, "base-36 digits");
  if (text.length > MAX_INDEX_DIGITS) throw new ValidationError(field, `must have at most ${MAX_INDEX_DIGITS} digits`);
  if (!CANONICAL_BASE36.test(text)) {
    throw new ValidationError(
      field,
      "must be a non-negative integer in base 36 (digits 0-9 then a-z, lower case), without sign or leading zeros",
    );
  }
  if (text.length > maxIndexDigits(z)) throw new ValidationError(field, `must be below 2^z at zoom ${z}`);
  const value = decodeBase36(text);
  if (value >> BigInt(z) !== 0n) throw new ValidationError(field, `must be below 2^z at zoom ${z}`);
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
