/**
 * Picks the tile store from the environment, the same way on Lambda and
 * locally: `TILE_BUCKET` set → S3 (at `S3_ENDPOINT` when given, e.g. radosgw),
 * otherwise files under `TILE_CACHE_DIR` (default `.cache/tiles`).
 */
import type { StoreFaultReporter, TileStore } from "../../packages/cache/index";
import { FsTileStore } from "./fs-tile-store";
import { S3TileStore, createS3Client } from "./s3-tile-store";

export const DEFAULT_TILE_CACHE_DIR = ".cache/tiles";

export function storeFromEnv(onFault: StoreFaultReporter, env: NodeJS.ProcessEnv = process.env): TileStore {
  const bucket = env.TILE_BUCKET?.trim();
  if (bucket) {
    const client = createS3Client({ endpoint: env.S3_ENDPOINT?.trim() || undefined });
    return new S3TileStore({ client, bucket, onFault });
  }
  return new FsTileStore(env.TILE_CACHE_DIR?.trim() || DEFAULT_TILE_CACHE_DIR, { onFault });
}
