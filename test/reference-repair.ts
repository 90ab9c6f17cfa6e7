/**
 * One scenario for every tile store (fs in the unit tests, S3 on radosgw): a deep tile's cached
 * reference orbit that is corrupt is replaced by the first render that finds it, and later tiles
 * of the anchor read the repaired object instead of recomputing it. Renders are counted through
 * the render core's own signal (`newReference` is set only when an orbit was computed).
 */
import { expect } from "vitest";
import type { TileStore } from "../packages/cache/index";
import { referenceKey, renderTilePng, renderTileWithReference, type TileSpec } from "../packages/render/index";
import type { HttpResult } from "../functions/lib/http";
import { createTilesHandler } from "../functions/lib/tiles-handler";
import { apiEvent, bodyBytes, type CapturedTelemetry } from "./handler-harness";

/** The tile whose top-left corner is C = i, at z300 (anchor z296): cheap pixels, a real orbit. */
const Z = 300;
export const REPAIR_TILE: TileSpec = {
  z: Z,
  x: 5n << BigInt(Z - 3),
  y: 1n << BigInt(Z - 2),
  scale: 1,
  palette: "classic",
};

const tilePath = (spec: TileSpec, renderVersion: string) =>
  `/tiles/${renderVersion}/${spec.palette}/${spec.z}/${spec.x.toString(36)}/${spec.y.toString(36)}${spec.scale === 2 ? "@2x" : ""}.png`;

/** The corruptions planted: a flipped bit inside the doubles, a truncation, and bytes that are no orbit at all. */
export const CORRUPTIONS: Record<string, (valid: Uint8Array) => Uint8Array> = {
  "a flipped bit": (valid) => {
    const flipped = valid.slice();
    flipped[Math.floor(flipped.length / 2)] ^= 0x10;
    return flipped;
  },
  truncated: (valid) => valid.slice(0, Math.floor(valid.length / 2)),
  "not an orbit": () => new TextEncoder().encode("not an orbit"),
};

export interface RepairScenario {
  store: TileStore;
  captured: CapturedTelemetry;
  /** Writes bytes under a key behind the store's back (as a torn write or bit rot would). */
  plant(key: string, bytes: Uint8Array): Promise<void>;
  /** The handler's render version: a fresh one per run keeps tiles of earlier runs in a shared bucket out of the way. */
  renderVersion: string;
}

export async function expectCorruptReferenceRepaired(
  scenario: RepairScenario,
  corruption: (valid: Uint8Array) => Uint8Array,
): Promise<void> {
  const { store, captured, renderVersion } = scenario;
  const key = referenceKey(REPAIR_TILE, renderVersion)!;
  const valid = renderTileWithReference(REPAIR_TILE).newReference!;
  const corrupt = corruption(valid);
  expect(Buffer.from(corrupt).equals(Buffer.from(valid))).toBe(false);
  await scenario.plant(key, corrupt);

  let computed = 0;
  const handle = createTilesHandler({
    store,
    telemetry: captured.telemetry,
    renderVersion,
    renderWithReference: (spec, stored) => {
      const result = renderTileWithReference(spec, stored);
      if (result.newReference) computed++;
      return result;
    },
  });
  const get = async (spec: TileSpec) => {
    const result = (await handle(apiEvent("GET", tilePath(spec, renderVersion)))) as HttpResult;
    expect(result.statusCode).toBe(200);
    expect(bodyBytes(result)).toEqual(Buffer.from(renderTilePng(spec)));
  };

  // The corrupt object is detected, the orbit computed once (not by each tile of the anchor
  // asked for meanwhile) and the object replaced with it.
  await Promise.all([
    get(REPAIR_TILE),
    get({ ...REPAIR_TILE, x: REPAIR_TILE.x + 1n }),
    get({ ...REPAIR_TILE, y: REPAIR_TILE.y + 1n }),
  ]);
  expect(computed).toBe(1);
  expect(Buffer.from((await store.get(key))!)).toEqual(Buffer.from(valid));

  // Later tiles of the anchor, whatever a client picks (another tile, another palette, the @2x
  // tile whose pixels are the next zoom's and whose key is the same), read it: no computation,
  // and the object stays the key's orbit.
  const sameKey: TileSpec[] = [
    { ...REPAIR_TILE, x: REPAIR_TILE.x + 2n },
    { ...REPAIR_TILE, y: REPAIR_TILE.y + 2n, palette: "magma" },
    { ...REPAIR_TILE, z: Z - 1, x: REPAIR_TILE.x >> 1n, y: REPAIR_TILE.y >> 1n, scale: 2 },
  ];
  for (const spec of sameKey) {
    expect(referenceKey(spec, renderVersion)).toBe(key);
    await get(spec);
  }
  expect(computed).toBe(1);
  expect(Buffer.from((await store.get(key))!)).toEqual(Buffer.from(valid));
  expect(captured.total("CacheErrors")).toBe(0);
}
