import { describe, expect, it } from "vitest";
import { TILE_RETRY_DELAYS_MS, createTileRetrier, type RetryableTile } from "./tile-retry";

/** A tile whose loads are counted, and a clock that runs timers when told. */
function harness() {
  const timers: { at: number; run: () => void }[] = [];
  let now = 0;
  const retry = createTileRetrier({ setTimer: (run, ms) => timers.push({ at: now + ms, run }) });
  const advance = (ms: number) => {
    now += ms;
    for (const timer of timers.filter((t) => t.at <= now)) {
      timers.splice(timers.indexOf(timer), 1);
      timer.run();
    }
  };
  const tile = (url: string) => {
    const loads: string[] = [];
    let src = url;
    const t = {
      isConnected: true,
      get src() {
        return src;
      },
      set src(value: string) {
        src = value;
        loads.push(value);
      },
    };
    return { tile: t as RetryableTile & { isConnected: boolean }, loads };
  };
  return { retry, advance, tile, pending: () => timers.length };
}

describe("createTileRetrier", () => {
  it("loads a failed tile again after 5, 10, 20 and 40 s, then gives up", () => {
    const { retry, advance, tile } = harness();
    const { tile: img, loads } = tile("/tiles/r/classic/60/a/b.png");
    const delays: (number | undefined)[] = [];
    for (let failure = 0; failure < TILE_RETRY_DELAYS_MS.length + 1; failure++) {
      const delay = retry(img);
      delays.push(delay);
      if (delay === undefined) break;
      advance(delay - 1);
      expect(loads).toHaveLength(failure); // not before its time
      advance(1);
      expect(loads).toEqual(Array(failure + 1).fill("/tiles/r/classic/60/a/b.png"));
    }
    expect(delays).toEqual([5_000, 10_000, 20_000, 40_000, undefined]);
  });

  it("counts attempts per tile", () => {
    const { retry, tile } = harness();
    const a = tile("/a.png").tile;
    const b = tile("/b.png").tile;
    expect(retry(a)).toBe(5_000);
    expect(retry(a)).toBe(10_000);
    expect(retry(b)).toBe(5_000);
  });

  it("leaves a tile alone that the map dropped or pointed elsewhere meanwhile", () => {
    const { retry, advance, tile } = harness();
    const gone = tile("/gone.png");
    retry(gone.tile);
    gone.tile.isConnected = false;
    const blanked = tile("/blanked.png");
    retry(blanked.tile);
    blanked.tile.src = "data:,"; // what Leaflet does to a tile it aborts
    advance(5_000);
    expect(gone.loads).toEqual([]);
    expect(blanked.loads).toEqual(["data:,"]);
  });
});
