/**
 * Poster parts filled from the tile cache where the poster lines up with the tile grid (the rule
 * and the measurements: docs/exports.md, "Reusing cached tiles"). Each tile a part covers is read
 * from the tile store (the @2x tile one zoom up is tried when the poster's zoom allows it) and
 * decoded; a missing tile is rendered by the tile handler's own renderer and written to the
 * store, so an export warms the cache for the viewer exactly as browsing would. The part's pixels
 * are the same either way: the rule admits only posters whose pixels are the tiles' pixels.
 */
import { tileKey, type TileStore } from "../../packages/cache/index";
import {
  copyPiece,
  pieceInParent,
  posterTileAlignment,
  tilePieces,
  type PartRect,
  type PosterOnTiles,
  type PosterSpec,
  type TileLayer,
  type TilePiece,
} from "../../packages/export/index";
import { decodeIndexedPng } from "../../packages/png/index";
import { RENDER_VERSION, TILE_SIZE, type TileSpec } from "../../packages/render/index";
import type { RenderTile } from "./renderers";
import { createSingleFlight } from "./single-flight";
import { renderIntoStore } from "./tile-fill";

/**
 * Rendering a missing tile whole costs its pixels outside the part too; beyond this factor over
 * the part's missing pixels the part is rendered instead (docs/exports.md, "Reusing cached tiles").
 */
export const MAX_TILE_OVERDRAW = 2;

/** A part's indices from tiles, or undefined when the poster does not line up (render the part). */
export type PartFromTiles = (spec: PosterSpec, rect: PartRect) => Promise<Uint8Array | undefined>;

export interface PosterTilesOptions {
  store: TileStore;
  /** The tile handler's renderer (createReferenceCachingRenderer): PNG bytes of a whole tile. */
  renderTile: RenderTile;
  renderVersion?: string;
  /** Tiles looked up (or rendered) at once per part: store round trips overlap. */
  concurrency?: number;
}

/** Where a part's tiles came from, summed over the parts this source filled. */
export interface PosterTileCounts {
  /** Parts put together from tiles. */
  parts: number;
  /** Aligned parts left to the part renderer: their missing tiles would have cost too much more. */
  partsRendered: number;
  cached: number;
  cachedAbove: number;
  rendered: number;
  unreadable: number;
}

export function createPosterTiles(options: PosterTilesOptions): PartFromTiles & { counts: PosterTileCounts } {
  const { store, renderTile } = options;
  const renderVersion = options.renderVersion ?? RENDER_VERSION;
  const concurrency = options.concurrency ?? 8;
  const counts: PosterTileCounts = {
    parts: 0,
    partsRendered: 0,
    cached: 0,
    cachedAbove: 0,
    rendered: 0,
    unreadable: 0,
  };
  // Neighbouring parts in flight in this process share a tile on their common edge: one render.
  const renders = createSingleFlight<string, Uint8Array>();

  /** A cached tile's indices; undefined when absent or unreadable (never trusted then). */
  async function cached(key: string, layer: TileLayer, countUnreadable = true): Promise<Uint8Array | undefined> {
    const bytes = await store.get(key);
    if (!bytes) return undefined;
    try {
      const image = decodeIndexedPng(bytes);
      const side = TILE_SIZE * layer.scale;
      if (image.width === side && image.height === side) return image.indices;
    } catch {
      // Damaged bytes: rendered afresh below, like a miss.
    }
    if (countUnreadable) counts.unreadable++;
    return undefined;
  }

  /** A missing tile, rendered and stored, unless a neighbouring part stored it since it was looked up. */
  async function rendered(spec: TileSpec, key: string): Promise<Uint8Array> {
    const { value } = await renders.run(key, async () => {
      const since = await cached(key, spec, false);
      if (since) {
        counts.cached++;
        return since;
      }
      const { bytes: png } = await renderIntoStore(store, key, spec, renderTile);
      counts.rendered++;
      return decodeIndexedPng(png).indices;
    });
    return value;
  }

  /**
   * The part from cached tiles, rendering the missing ones (and storing them) where that costs
   * at most twice the missing pixels; false when it would cost more (a thin band of a deep poster
   * under a row of 256-px tiles, say): the caller renders the part itself then, same pixels.
   */
  async function fill(part: Uint8Array, spec: PosterSpec, poster: PosterOnTiles, rect: PartRect): Promise<boolean> {
    const [own, above] = poster.layers;
    const ownSide = TILE_SIZE * own.scale;
    const tileSpec = (layer: TileLayer, p: TilePiece): TileSpec => ({
      ...layer,
      x: p.x,
      y: p.y,
      palette: spec.palette,
    });
    // One @2x tile serves up to four 1x pieces: look each up once per part.
    const aboveTiles = new Map<string, Promise<Uint8Array | undefined>>();

    async function fromCache(piece: TilePiece): Promise<boolean> {
      const hit = await cached(tileKey(tileSpec(own, piece), renderVersion), own);
      if (hit) {
        counts.cached++;
        copyPiece(part, rect.width, hit, ownSide, piece);
        return true;
      }
      if (!above) return false;
      const abovePiece = pieceInParent(piece);
      const aboveKey = tileKey(tileSpec(above, abovePiece), renderVersion);
      if (!aboveTiles.has(aboveKey)) aboveTiles.set(aboveKey, cached(aboveKey, above));
      const aboveHit = await aboveTiles.get(aboveKey);
      if (!aboveHit) return false;
      counts.cachedAbove++;
      copyPiece(part, rect.width, aboveHit, TILE_SIZE * above.scale, abovePiece);
      return true;
    }

    const pieces = tilePieces(poster, own, rect);
    const found = await mapLimited(pieces, concurrency, fromCache);
    const missing = pieces.filter((_, i) => !found[i]);
    const missingPixels = missing.reduce((sum, p) => sum + p.width * p.height, 0);
    if (missing.length * ownSide * ownSide > MAX_TILE_OVERDRAW * missingPixels) return false;
    await mapLimited(missing, concurrency, async (piece) => {
      const ownSpec = tileSpec(own, piece);
      copyPiece(part, rect.width, await rendered(ownSpec, tileKey(ownSpec, renderVersion)), ownSide, piece);
    });
    return true;
  }

  const partFromTiles: PartFromTiles = async (spec, rect) => {
    const alignment = posterTileAlignment(spec);
    if (!alignment.aligned) return undefined;
    const part = new Uint8Array(rect.width * rect.height);
    if (!(await fill(part, spec, alignment, rect))) {
      counts.partsRendered++;
      return undefined;
    }
    counts.parts++;
    return part;
  };
  return Object.assign(partFromTiles, { counts });
}

/** `fn` over `items`, at most `limit` at a time; results in order. */
async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  async function worker(): Promise<void> {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
