import { DEFAULT_PALETTE, PALETTES, isPaletteName, type PaletteName } from "../colour/index";
import { ValidationError, parseTileAddress, type TileScale } from "../tile/index";

/** Everything that identifies a tile's pixels, besides the render version. */
export interface TileSpec {
  z: number;
  /** Tile indices, any size: 0 ≤ x, y < 2^z. Spelled in base 36 in URLs (packages/tile/coordinates.ts). */
  x: bigint;
  y: bigint;
  scale: TileScale;
  palette: PaletteName;
}

export interface RawTileSpec {
  z: string;
  x: string;
  y: string;
  scale?: string;
  palette?: string;
}

/** Undefined means the default palette; anything else must be a palette's exact name. */
export function parsePalette(raw: unknown): PaletteName {
  if (raw === undefined) return DEFAULT_PALETTE;
  if (!isPaletteName(raw)) throw new ValidationError("palette", `must be one of ${PALETTES.join(", ")}`);
  return raw;
}

/**
 * Validates raw path parts from a URL. Throws ValidationError naming the
 * field for any bad input, never any other exception.
 */
export function parseTileSpec(raw: RawTileSpec): TileSpec {
  if (typeof raw !== "object" || raw === null) throw new ValidationError("tile", "must be an object with z, x and y");
  const { z, x, y, scale } = parseTileAddress(raw);
  return { z, x, y, scale, palette: parsePalette(raw.palette) };
}
