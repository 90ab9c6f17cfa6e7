/**
 * What a tile object carries besides its bytes: the iteration budget it was
 * rendered with, stored as object metadata so the header survives a CDN hit
 * served straight from the bucket.
 */
import { ITERATIONS_HEADER, ITERATIONS_METADATA, type ObjectMetadata } from "../../packages/cache/index";
import { tileIterationBudget, type TileSpec } from "../../packages/render/index";

export function tileObjectMetadata(spec: TileSpec): ObjectMetadata {
  return { [ITERATIONS_METADATA]: String(tileIterationBudget(spec)) };
}

/** The response headers a stored tile's metadata gives (none when it has none). */
export function tileHeadersFromMetadata(metadata: ObjectMetadata): Record<string, string> {
  const iterations = metadata[ITERATIONS_METADATA];
  return iterations !== undefined && /^[1-9][0-9]{0,9}$/.test(iterations) ? { [ITERATIONS_HEADER]: iterations } : {};
}
