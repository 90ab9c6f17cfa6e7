/**
 * Renders every tile of a zoom range into a store, skipping those present.
 * Used by the warm-up event (z0–z3 of the default palette) and by
 * `npm run prefill`.
 */
import { tileKey, type TileStore } from "../../packages/cache/index";
import type { PaletteName, TileScale, TileSpec } from "../../packages/render/index";
import type { RenderTile } from "./renderers";
import { tileObjectMetadata } from "./tile-metadata";

export interface PrefillOptions {
  store: TileStore;
  renderVersion: string;
  render: RenderTile;
  palette: PaletteName;
  minZoom?: number;
  maxZoom: number;
  scale?: TileScale;
  /** Tiles in flight at once (store round trips, and renders when `render` is asynchronous). */
  concurrency?: number;
  onTile?: (outcome: { spec: TileSpec; rendered: boolean }) => void;
}

export interface PrefillResult {
  rendered: number;
  present: number;
}

export function* tilesInZoomRange(
  minZoom: number,
  maxZoom: number,
  palette: PaletteName,
  scale: TileScale,
): Generator<TileSpec> {
  for (let z = minZoom; z <= maxZoom; z++) {
    const side = 1n << BigInt(z);
    for (let y = 0n; y < side; y++) {
      for (let x = 0n; x < side; x++) yield { z, x, y, scale, palette };
    }
  }
}

export function tileCount(minZoom: number, maxZoom: number): number {
  let count = 0;
  for (let z = minZoom; z <= maxZoom; z++) count += 4 ** z;
  return count;
}

export async function prefillTiles(options: PrefillOptions): Promise<PrefillResult> {
  const { store, renderVersion, render, palette, maxZoom } = options;
  const tiles = tilesInZoomRange(options.minZoom ?? 0, maxZoom, palette, options.scale ?? 1);
  const result: PrefillResult = { rendered: 0, present: 0 };

  // Workers pull from one shared generator, so at most `concurrency` store
  // calls are in flight and no tile is handled twice.
  const worker = async () => {
    for (const spec of tiles) {
      const key = tileKey(spec, renderVersion);
      const rendered = !(await store.has(key));
      if (rendered) await store.put(key, await render(spec), tileObjectMetadata(spec));
      if (rendered) result.rendered++;
      else result.present++;
      options.onTile?.({ spec, rendered });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 4) }, worker));
  return result;
}
