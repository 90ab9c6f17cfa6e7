import { createHash } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { DEEP_LOCATIONS } from "../../packages/deep/locations";
import { renderTileWithReference, renderTileWithReferenceUsing, type TileSpec } from "../../packages/render/index";
import { DEEP_THREAD_SOURCE } from "./build/deep-thread-source.js";
import { createDeepThreadPool } from "./deep-threads";

const sha = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
const location = (name: string) => DEEP_LOCATIONS.find((l) => l.name === name)!.tile;

// A chaotic tile (uneven rows), a deep minibrot tile with interior proofs, an @2x tile.
const SPECS: TileSpec[] = [
  { ...location("seahorse p998 minibrot"), scale: 1, palette: "classic" },
  { ...location("minibrot beside C = i at z600"), scale: 1, palette: "viridis" },
  { ...location("C = i at z50"), scale: 2, palette: "magma" },
];

describe("deep tiles on a pool of threads", () => {
  const pool = createDeepThreadPool(2, DEEP_THREAD_SOURCE);
  afterAll(() => pool.close());

  it("renders the same bytes as one thread", async () => {
    for (const spec of SPECS) {
      const alone = renderTileWithReference(spec);
      const threaded = await renderTileWithReferenceUsing(pool.counter, spec, alone.newReference);
      expect(sha(threaded.png), `${spec.z}/${spec.scale}`).toBe(sha(alone.png));
    }
  });

  it("gets the loop's work in bands, not as one grid", async () => {
    const spec = SPECS[1];
    const alone = renderTileWithReference(spec);
    const seen: number[] = [];
    const spy = createDeepThreadPool(2, DEEP_THREAD_SOURCE);
    try {
      const counter: typeof spy.counter = async (ref, grids, maxIter, opts) => {
        seen.push(grids.length);
        return spy.counter(ref, grids, maxIter, opts);
      };
      const threaded = await renderTileWithReferenceUsing(counter, spec, alone.newReference);
      expect(sha(threaded.png)).toBe(sha(alone.png));
      expect(seen.reduce((a, b) => a + b, 0)).toBeGreaterThan(2); // bands, not one grid
    } finally {
      await spy.close();
    }
  });

  it("falls back to counting in-process when a thread dies: slower, same bytes", async () => {
    const broken = createDeepThreadPool(2, "throw new Error('this thread cannot start')");
    try {
      const spec = SPECS[0];
      const alone = renderTileWithReference(spec);
      const threaded = await renderTileWithReferenceUsing(broken.counter, spec, alone.newReference);
      expect(sha(threaded.png)).toBe(sha(alone.png));
    } finally {
      await broken.close();
    }
  });
});
