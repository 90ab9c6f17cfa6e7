/**
 * Renders tiles with deep tiles' reference orbits cached in the tile store
 * (`referenceKey`), so a tile miss under an anchor whose orbit is stored does
 * not recompute it. A tile refused for the request path (LoopTooCostlyError)
 * stores the orbit it computed all the same, so the export worker rendering
 * that tile reads it. Concurrent misses under one anchor in this process wait
 * for the first one's orbit instead of each computing it; writers in other
 * processes are harmless (same bytes). Whatever the store returns is checked
 * before it is shared (and again by the render core): an orbit that cannot be
 * trusted is recomputed once and the stored object replaced, so it is not
 * recomputed on every use, nor by every tile waiting for it.
 */
import type { TileStore } from "../../packages/cache/index";
import {
  LoopTooCostlyError,
  isReferenceOf,
  referenceKey,
  renderTileWithReference,
  type RenderLimits,
  type RenderedTile,
  type TileSpec,
} from "../../packages/render/index";
import type { RenderTile } from "./renderers";

export type RenderTileWithReference = (
  spec: TileSpec,
  storedReference?: Uint8Array,
  limits?: RenderLimits,
) => RenderedTile | Promise<RenderedTile>;

export interface ReferenceCachingOptions {
  store: TileStore;
  renderVersion: string;
  /** Default: the render core in-process; the local server passes its worker pool's. */
  renderWithReference?: RenderTileWithReference;
}

export function createReferenceCachingRenderer(options: ReferenceCachingOptions): RenderTile {
  const { store, renderVersion } = options;
  const render = options.renderWithReference ?? renderTileWithReference;
  /** Orbits being computed here, by key: later tiles of the anchor wait for the bytes. */
  const computing = new Map<string, Promise<Uint8Array | undefined>>();

  return async function renderTile(spec: TileSpec, limits?: RenderLimits): Promise<Uint8Array> {
    const key = referenceKey(spec, renderVersion);
    if (key === undefined) return (await render(spec, undefined, limits)).png;
    const pending = computing.get(key);
    if (pending) return (await render(spec, await pending, limits)).png;

    // First of its anchor here: look the orbit up, or compute it with this tile.
    let publish: (bytes: Uint8Array | undefined) => void = () => {};
    computing.set(key, new Promise((resolve) => (publish = resolve)));
    try {
      const found = await store.get(key);
      // Checked before the waiters take it (about 2 ms against a second's computation): bytes
      // that are not this key's orbit are a miss, computed once here rather than by every waiter.
      const stored = found && isReferenceOf(spec, found) ? found : undefined;
      if (stored) publish(stored);
      // A new orbit is published and stored whether the tile renders or is refused (its loop too
      // costly here). Stored before the refusal goes on to the handler, which only then queues
      // the tile: the worker rendering it, and the anchor's other tiles, find the orbit.
      const keep = async (newReference: Uint8Array) => {
        publish(newReference);
        // Rejected bytes (corrupt, truncated) would survive a conditional put and be recomputed
        // on every use: overwrite them. newReference is a function of the key alone (anchor,
        // budget, render version, format), so whatever a client asks for, every replacer writes
        // the same bytes.
        if (found) await store.replace(key, newReference);
        else await store.put(key, newReference);
      };
      let rendered: RenderedTile;
      try {
        rendered = await render(spec, stored, limits);
      } catch (error) {
        if (error instanceof LoopTooCostlyError && error.newReference) await keep(error.newReference);
        throw error;
      }
      if (rendered.newReference) await keep(rendered.newReference);
      return rendered.png;
    } finally {
      publish(undefined); // no-op once published; on failure the waiters compute their own
      computing.delete(key);
    }
  };
}
