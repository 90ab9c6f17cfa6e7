/**
 * One piece of work per key at a time: callers asking for a key whose work is
 * already running share its promise instead of starting the work again.
 * The tile handler uses it so concurrent requests for one uncached tile
 * render it once (each render is milliseconds of CPU; duplicates only queue).
 * The entry is dropped when the work settles, so a failure is not remembered
 * and the next request tries afresh.
 */
export interface SingleFlight<K, V> {
  /** Runs `work` unless work for `key` is in flight; `shared` tells whether this call joined another's. */
  run(key: K, work: () => Promise<V>): Promise<{ value: V; shared: boolean }>;
  /** Keys with work in flight (for tests and diagnostics). */
  readonly size: number;
}

export function createSingleFlight<K, V>(): SingleFlight<K, V> {
  const inFlight = new Map<K, Promise<V>>();
  return {
    async run(key, work) {
      const running = inFlight.get(key);
      if (running) return { value: await running, shared: true };
      const started = Promise.resolve().then(work);
      inFlight.set(key, started);
      try {
        return { value: await started, shared: false };
      } finally {
        inFlight.delete(key);
      }
    },
    get size() {
      return inFlight.size;
    },
  };
}
