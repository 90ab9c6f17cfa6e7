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
import { tileObjectMetadata } from "./tile-metadata";

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
  parts: number;
  cached: number;
  cachedAbove: number;
  rendered: number;
  unreadable: number;
}

export function createPosterTiles(options: PosterTilesOptions): PartFromTiles & { counts: PosterTileCounts } {
  const { store, renderTile } = options;
  const renderVersion = options.renderVersion ?? RENDER_VERSION;
  const concurrency = options.concurrency ?? 8;
  const counts: PosterTileCounts = { parts: 0, cached: 0, cachedAbove: 0, rendered: 0, unreadable: 0 };
  // Neighbouring parts in flight in this process share a tile on their common edge: one render.
  const renders = createSingleFlight<string, Uint8Array>();

  /** A cached tile's indices; undefined when absent or unreadable (never trusted then). */
  async function cached(key: string, layer: TileLayer): Promise<Uint8Array | undefined> {
    const bytes = await store.get(key);
    if (!bytes) return undefined;
    try {
      const image = decodeIndexedPng(bytes);
      const side = TILE_SIZE * layer.scale;
      if (image.width === side && image.height === side) return image.indices;
    } catch {
      // Damaged bytes: rendered afresh below, like a miss.
    }
    counts.unreadable++;
    return undefined;
  }

  async function rendered(spec: TileSpec, key: string): Promise<Uint8Array> {
    const { value } = await renders.run(key, async () => {
      const png = await renderTile(spec);
      await store.put(key, png, tileObjectMetadata(spec));
      counts.rendered++;
      return decodeIndexedPng(png).indices;
    });
    return value;
  }

  async function fill(part: Uint8Array, spec: PosterSpec, poster: PosterOnTiles, rect: PartRect): Promise<void> {
    const [own, above] = poster.layers;
    // One @2x tile serves up to four 1x pieces: look each up once per part.
    const aboveTiles = new Map<string, Promise<Uint8Array | undefined>>();
    const tileSpec = (layer: TileLayer, p: TilePiece): TileSpec => ({
      ...layer,
      x: p.x,
      y: p.y,
      palette: spec.palette,
    });

    const pieces = tilePieces(poster, own, rect);
    let next = 0;
    async function worker(): Promise<void> {
      while (next < pieces.length) {
        const piece = pieces[next++];
        const ownSpec = tileSpec(own, piece);
        const ownKey = tileKey(ownSpec, renderVersion);
        const hit = await cached(ownKey, own);
        if (hit) {
          counts.cached++;
          copyPiece(part, rect.width, hit, TILE_SIZE * own.scale, piece);
          continue;
        }
        if (above) {
          const abovePiece = pieceInParent(piece);
          const aboveKey = tileKey(tileSpec(above, abovePiece), renderVersion);
          if (!aboveTiles.has(aboveKey)) aboveTiles.set(aboveKey, cached(aboveKey, above));
          const aboveHit = await aboveTiles.get(aboveKey);
          if (aboveHit) {
            counts.cachedAbove++;
            copyPiece(part, rect.width, aboveHit, TILE_SIZE * above.scale, abovePiece);
            continue;
          }
        }
        copyPiece(part, rect.width, await rendered(ownSpec, ownKey), TILE_SIZE * own.scale, piece);
      }
    }
    await Promise.all(Array.from({ length: Math.min(concurrency, pieces.length) }, worker));
  }

  const partFromTiles: PartFromTiles = async (spec, rect) => {
    const alignment = posterTileAlignment(spec);
    if (!alignment.aligned) return undefined;
    const part = new Uint8Array(rect.width * rect.height);
    await fill(part, spec, alignment, rect);
    counts.parts++;
    return part;
  };
  return Object.assign(partFromTiles, { counts });
}
