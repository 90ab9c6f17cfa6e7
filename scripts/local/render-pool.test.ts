import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  LoopTooCostlyError,
  PALETTES,
  renderTilePng,
  renderTileWithReference,
  renderViewRgba,
  type TileSpec,
  type ViewSpec,
} from "../../packages/render/index";
import { EXITING_TILE_X, THROWING_TILE_X } from "../../test/render-task-that-fails";
import { createRenderPool, type RenderPool } from "./render-pool";

const FAILING_TASK = fileURLToPath(new URL("../../test/render-task-that-fails.ts", import.meta.url));

describe("render pool", () => {
  let pool: RenderPool;
  beforeAll(() => {
    pool = createRenderPool({ threads: 2, taskModule: FAILING_TASK });
  });
  afterAll(async () => {
    await pool?.close();
  });

  it("renders tiles byte-identical to in-process rendering", async () => {
    const specs: TileSpec[] = [
      { z: 0, x: 0n, y: 0n, scale: 1, palette: PALETTES[0] },
      { z: 3, x: 2n, y: 5n, scale: 2, palette: PALETTES[1] },
      { z: 9, x: 150n, y: 255n, scale: 1, palette: PALETTES[PALETTES.length - 1] },
    ];
    const pooled = await Promise.all(specs.map((spec) => pool.renderTile(spec)));
    for (const [i, spec] of specs.entries()) {
      expect(Buffer.from(pooled[i]).equals(Buffer.from(renderTilePng(spec)))).toBe(true);
    }
  });

  it("renders views identical to in-process rendering", async () => {
    const view: ViewSpec = {
      centerRe: -0.743,
      centerIm: 0.131,
      pixelSize: 2e-5,
      width: 61,
      height: 37,
      palette: PALETTES[1],
    };
    const pooled = await pool.renderView(view);
    expect(pooled).toBeInstanceOf(Uint8ClampedArray);
    expect(Buffer.from(pooled).equals(Buffer.from(renderViewRgba(view)))).toBe(true);
  });

  it("hands a refused deep tile back as LoopTooCostlyError with the orbit it computed, as in-process", async () => {
    // C = i at z300: about 2·10⁶ estimated loop steps (scripts/measure-loop-estimate.ts), refused at 1000.
    const z = 300;
    const spec: TileSpec = { z, x: 5n << BigInt(z - 3), y: 1n << BigInt(z - 2), scale: 1, palette: PALETTES[0] };
    const limits = { maxLoopSteps: 1000 };
    const refusal = async (stored?: Uint8Array): Promise<LoopTooCostlyError> => {
      try {
        await pool.renderTileWithReference(spec, stored, limits);
      } catch (error) {
        expect(error).toBeInstanceOf(LoopTooCostlyError);
        return error as LoopTooCostlyError;
      }
      throw new Error("the tile was not refused");
    };
    const refused = await refusal();
    expect(refused.estimatedSteps).toBeGreaterThan(limits.maxLoopSteps);
    expect(refused.maxLoopSteps).toBe(limits.maxLoopSteps);
    const finished = renderTileWithReference(spec).newReference!;
    expect(Buffer.from(refused.newReference!)).toEqual(Buffer.from(finished));
    // Given its orbit, the worker computed none: nothing comes back.
    expect((await refusal(finished)).newReference).toBeUndefined();
  });

  it("rejects a task that throws, and a task whose worker dies, and keeps rendering", async () => {
    const ok: TileSpec = { z: 4, x: 3n, y: 7n, scale: 1, palette: PALETTES[0] };
    await expect(pool.renderTile({ ...ok, x: THROWING_TILE_X })).rejects.toThrow("render failed on purpose");
    await expect(pool.renderTile({ ...ok, x: EXITING_TILE_X })).rejects.toThrow(/exited/);
    const after = await Promise.all([pool.renderTile(ok), pool.renderTile({ ...ok, y: 8n })]);
    expect(Buffer.from(after[0]).equals(Buffer.from(renderTilePng(ok)))).toBe(true);
    expect(after[1].byteLength).toBeGreaterThan(0);
  });
});

it("ready() rejects with the reason when workers cannot load the render core", async () => {
  const taskModule = fileURLToPath(new URL("../../test/render-task-that-cannot-load.ts", import.meta.url));
  const broken = createRenderPool({ threads: 1, taskModule });
  try {
    await expect(broken.ready()).rejects.toThrow("render core cannot load on purpose");
  } finally {
    await broken.close();
  }
});

it("refuses a thread count that is not a whole number ≥ 1", () => {
  expect(() => createRenderPool({ threads: 0 })).toThrow(RangeError);
  expect(() => createRenderPool({ threads: 1.5 })).toThrow(RangeError);
});
