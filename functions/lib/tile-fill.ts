/**
 * A missing tile rendered and written to the tile store, the one way every writer of tiles does
 * it (the tile handler, posters on the tile grid, the export worker's slow tiles): same key, same
 * bytes, same metadata, so a reader cannot tell which of them wrote it.
 */
import type { ObjectMetadata, TileStore } from "../../packages/cache/index";
import type { RenderLimits, TileSpec } from "../../packages/render/index";
import type { RenderTile } from "./renderers";
import { tileObjectMetadata } from "./tile-metadata";

export interface FilledTile {
  bytes: Uint8Array;
  metadata: ObjectMetadata;
}

/** Renders `spec` (which `limits` may refuse before any write) and puts it under `key`. */
export async function renderIntoStore(
  store: TileStore,
  key: string,
  spec: TileSpec,
  render: RenderTile,
  limits?: RenderLimits,
): Promise<FilledTile> {
  const bytes = await render(spec, limits);
  const metadata = tileObjectMetadata(spec);
  await store.put(key, bytes, metadata);
  return { bytes, metadata };
}
