/**
 * Failed tiles are loaded again on a schedule, so a deep tile the server renders in the background
 * (503 `tile_rendering`, docs/api.md) appears by itself once it is cached. An <img> cannot read the
 * answer's Retry-After, so the delays are fixed: they double from 5 s, about what a slow tile takes,
 * and stop after a few attempts so a tile that keeps failing costs the server nothing more.
 */
export const TILE_RETRY_DELAYS_MS: readonly number[] = [5_000, 10_000, 20_000, 40_000];

/** What a retry needs of a tile's <img>: its URL, and whether the map still shows it. */
export interface RetryableTile {
  src: string;
  readonly isConnected: boolean;
}

export interface TileRetryOptions {
  delaysMs?: readonly number[];
  setTimer?: (run: () => void, ms: number) => unknown;
}

/**
 * Returns the handler of one layer's `tileerror`: schedules the tile's next attempt and returns its
 * delay, or undefined once the attempts are used up. A tile the map dropped meanwhile (panned away,
 * layer replaced: Leaflet detaches it or blanks its src) is left alone.
 */
export function createTileRetrier(options: TileRetryOptions = {}): (tile: RetryableTile) => number | undefined {
  const delays = options.delaysMs ?? TILE_RETRY_DELAYS_MS;
  const setTimer = options.setTimer ?? ((run, ms) => setTimeout(run, ms));
  const attempts = new WeakMap<RetryableTile, number>();
  return (tile) => {
    const made = attempts.get(tile) ?? 0;
    const delay = delays[made];
    if (delay === undefined) return undefined;
    attempts.set(tile, made + 1);
    const url = tile.src;
    setTimer(() => {
      // Assigning the same URL loads it again: a failed image is not kept, and the 503 was no-store.
      if (tile.isConnected && tile.src === url) tile.src = url;
    }, delay);
    return delay;
  };
}
