/**
 * Cache keys and the storage interface for rendered tiles.
 *
 * Pure: no I/O here. Implementations (disk, S3) live with the runtime adapters
 * in `functions/lib/`.
 */
import { encodeTileIndex, type TileSpec } from "../render/index";

export type TileKeyParts = Pick<TileSpec, "z" | "x" | "y" | "scale" | "palette">;

/**
 * The key is the public URL path without its leading slash (x and y in base
 * 36, packages/tile/coordinates.ts), so a CDN can serve
 * `GET /tiles/...` straight from the bucket. The render version is part of it,
 * so two function versions serving during a release never share an object.
 */
export function tileKey(spec: TileKeyParts, renderVersion: string): string {
  const suffix = spec.scale === 2 ? "@2x" : "";
  return `tiles/${renderVersion}/${spec.palette}/${spec.z}/${encodeTileIndex(spec.x)}/${encodeTileIndex(spec.y)}${suffix}.png`;
}

/**
 * Small string facts stored with an object (S3 user metadata, `x-amz-meta-{name}`):
 * names lower case [a-z0-9-], values printable ASCII.
 */
export type ObjectMetadata = Readonly<Record<string, string>>;

/** The metadata name under which a tile keeps the iteration budget it was rendered with. */
export const ITERATIONS_METADATA = "fractile-iterations";
/**
 * The response header that carries it. S3 answers with `x-amz-meta-fractile-iterations`;
 * the CDN copies that to this name (stacks/parts/cdn.ts), the API sets it directly.
 */
export const ITERATIONS_HEADER = "x-fractile-iterations";

export interface StoredObject {
  bytes: Uint8Array;
  metadata: ObjectMetadata;
}

/**
 * Where rendered tiles (and reference orbits) are kept. Implementations never throw on backend
 * faults: they report the fault through `onError` and behave as a miss (get)
 * or as a no-op (put), because a broken cache must never fail a tile request.
 */
export interface TileStore {
  get(key: string): Promise<Uint8Array | undefined>;
  /** The bytes with the metadata they were put with (`{}` when none). */
  getWithMetadata(key: string): Promise<StoredObject | undefined>;
  has(key: string): Promise<boolean>;
  /**
   * Writes the key; a store may keep an object already there instead (S3's puts are conditional,
   * first writer wins), since every writer of a key writes the same bytes.
   */
  put(key: string, bytes: Uint8Array, metadata?: ObjectMetadata): Promise<void>;
  /**
   * Writes the key whatever it holds: only for an entry its reader has proved wrong (a reference
   * orbit that fails to decode), which `put` would keep forever. The bytes must still be the
   * key's one deterministic value, so concurrent replacers agree.
   */
  replace(key: string, bytes: Uint8Array, metadata?: ObjectMetadata): Promise<void>;
}

/** What a store calls when its backend fails; the caller logs and counts it. */
export type StoreFaultReporter = (fault: {
  operation: "get" | "has" | "put" | "replace";
  key: string;
  error: unknown;
}) => void;
