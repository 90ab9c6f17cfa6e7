/**
 * One scenario for every tile store (fs in the unit tests, S3 on radosgw): deep tiles refused for
 * the request path (their loop estimated over the limit, rendered by the export worker instead)
 * still store the reference orbit computed for them, under the key and with the bytes a finished
 * render stores; tiles of the anchor refused at the same time wait for that one orbit; and the
 * worker's render of a refused tile reads it instead of computing it again.
 *
 * Computations are counted where the caching renderer decides them: a render handed no valid
 * stored orbit computes one (packages/render/deep-tile.ts).
 */
import { expect } from "vitest";
import { tileKey, type TileStore } from "../packages/cache/index";
import {
  isReferenceOf,
  referenceKey,
  renderTilePng,
  renderTileWithReference,
  type RenderLimits,
  type TileSpec,
} from "../packages/render/index";
import type { HttpResult } from "../functions/lib/http";
import { createSlowTileWorker, createSlowTiles, type TileRenderMessage } from "../functions/lib/slow-tiles";
import { createReferenceCachingRenderer, type RenderTileWithReference } from "../functions/lib/tile-renderer";
import { createTilesHandler } from "../functions/lib/tiles-handler";
import { apiEvent, type CapturedTelemetry } from "./handler-harness";

/** The tile whose top-left corner is C = i, at z300 (anchor z296): cheap pixels, a real orbit. */
const Z = 300;
const CORNER: TileSpec = { z: Z, x: 5n << BigInt(Z - 3), y: 1n << BigInt(Z - 2), scale: 1, palette: "classic" };
/** Three tiles under the corner's anchor, asked for at once. */
export const REFUSED_TILES: TileSpec[] = [CORNER, { ...CORNER, x: CORNER.x + 1n }, { ...CORNER, y: CORNER.y + 1n }];
/**
 * Far below these tiles' estimates (about 2·10⁶ steps each: scripts/measure-loop-estimate.ts, C = i),
 * so every one of them is refused.
 */
const LIMIT = 1000;

const tilePath = (spec: TileSpec, renderVersion: string) =>
  `/tiles/${renderVersion}/${spec.palette}/${spec.z}/${spec.x.toString(36)}/${spec.y.toString(36)}${spec.scale === 2 ? "@2x" : ""}.png`;

export interface RefusedScenario {
  store: TileStore;
  captured: CapturedTelemetry;
  /** The handler's render version: a fresh one per run keeps objects of earlier runs in a shared bucket out of the way. */
  renderVersion: string;
}

/** The render core, counting the renders that had to compute an orbit (no valid one handed in). */
function countingRenderer(): { render: RenderTileWithReference; computed: () => number } {
  let computed = 0;
  const render = (spec: TileSpec, stored?: Uint8Array, limits?: RenderLimits) => {
    if (!stored || !isReferenceOf(spec, stored)) computed++;
    return renderTileWithReference(spec, stored, limits);
  };
  return { render, computed: () => computed };
}

export async function expectRefusedTilesKeepTheirReference(scenario: RefusedScenario): Promise<void> {
  const { store, captured, renderVersion } = scenario;
  const key = referenceKey(CORNER, renderVersion)!;
  for (const spec of REFUSED_TILES) expect(referenceKey(spec, renderVersion)).toBe(key);
  expect(await store.get(key)).toBeUndefined();

  const queue: TileRenderMessage[] = [];
  const requestPath = countingRenderer();
  const handle = createTilesHandler({
    store,
    telemetry: captured.telemetry,
    renderVersion,
    renderWithReference: requestPath.render,
    slowTiles: createSlowTiles({
      store,
      enqueue: async (message) => {
        queue.push(message);
      },
      maxLoopSteps: () => LIMIT,
    }),
  });
  const get = async (spec: TileSpec) => (await handle(apiEvent("GET", tilePath(spec, renderVersion)))) as HttpResult;

  // All three refused; the orbit computed once (the others waited for it), and stored.
  const answers = await Promise.all(REFUSED_TILES.map(get));
  for (const answer of answers) expect(answer.statusCode).toBe(503);
  expect(queue).toHaveLength(REFUSED_TILES.length);
  expect(requestPath.computed()).toBe(1);
  const stored = await store.get(key);
  expect(stored).toBeDefined();
  // What a finished render of any of these tiles hands the store: the same key, the same bytes.
  expect(Buffer.from(stored!)).toEqual(Buffer.from(renderTileWithReference(CORNER).newReference!));

  // The worker (its own process: its own renderer) renders every refused tile without computing
  // the orbit, and stores exactly the tile a request would have rendered.
  const worker = countingRenderer();
  const renderSlowTile = createSlowTileWorker({
    store,
    renderTile: createReferenceCachingRenderer({ store, renderVersion, renderWithReference: worker.render }),
    renderVersion,
  });
  for (const message of queue) expect(await renderSlowTile(message)).toBe("rendered");
  expect(worker.computed()).toBe(0);
  for (const spec of REFUSED_TILES) {
    expect(Buffer.from((await store.get(tileKey(spec, renderVersion)))!)).toEqual(Buffer.from(renderTilePng(spec)));
  }
  expect(Buffer.from((await store.get(key))!)).toEqual(Buffer.from(stored!));
  expect(captured.total("CacheErrors")).toBe(0);
}
