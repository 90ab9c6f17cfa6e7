import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { GOLDEN_TILES, RENDER_VERSION, isDeepTile, pinnedGoldenSha256 } from "./index";
import { computeGoldenHashes, tileLabel, type GoldenFile } from "./golden-hashes";
import { KERNELS, getKernel } from "../kernel/index";

const golden = JSON.parse(readFileSync(new URL("./golden.json", import.meta.url), "utf8")) as GoldenFile;

/**
 * The guard that makes RENDER_VERSION impossible to forget: golden.json pins
 * the PNG hashes of the golden tiles for one render version. Cached tiles are
 * keyed by render version, so pixels that change under an unchanged version
 * would silently mix old and new tiles in every cache.
 */
describe("render version and golden tiles", () => {
  it("golden.json belongs to the current RENDER_VERSION", () => {
    expect(
      golden.renderVersion,
      `RENDER_VERSION is ${RENDER_VERSION} but golden.json pins ${golden.renderVersion}: run \`npm run golden\` and commit packages/render/golden.json`,
    ).toBe(RENDER_VERSION);
  });

  it("golden.json lists exactly GOLDEN_TILES, covering every palette at 256 px and @2x", () => {
    expect(golden.tiles.map((t) => t.tile)).toEqual(GOLDEN_TILES.map(tileLabel));
    const palettes = new Set(GOLDEN_TILES.map((t) => t.palette));
    for (const palette of palettes) {
      expect(new Set(GOLDEN_TILES.filter((t) => t.palette === palette).map((t) => t.scale))).toEqual(new Set([1, 2]));
    }
    // Both renderers are pinned: float64 tiles and perturbation tiles, down to z2000.
    expect(GOLDEN_TILES.some((t) => !isDeepTile(t))).toBe(true);
    expect(Math.max(...GOLDEN_TILES.filter(isDeepTile).map((t) => t.z))).toBeGreaterThanOrEqual(2000);
  });

  it("golden tiles render to the pinned bytes (else: pixels changed but RENDER_VERSION did not)", () => {
    const pinned = new Map(golden.tiles.map((t) => [t.tile, t.sha256]));
    const drifted = computeGoldenHashes()
      .filter(({ spec, sha256 }) => pinned.get(tileLabel(spec)) !== sha256)
      .map(({ spec }) => tileLabel(spec));
    expect(
      drifted,
      golden.renderVersion === RENDER_VERSION
        ? `pixels changed but RENDER_VERSION did not (${RENDER_VERSION}): bump RENDER_REVISION in packages/render/version.ts and run \`npm run golden\`. Drifted: ${drifted.join(", ")}`
        : `golden.json is stale: run \`npm run golden\``,
    ).toEqual([]);
  });

  it("every selectable kernel gives the same golden bytes (a fallback kernel must not fork the cache)", () => {
    // Deep tiles have one renderer; the float64 kernels must agree on the rest.
    const shallow = GOLDEN_TILES.filter((t) => !isDeepTile(t));
    const byKernel = KERNELS.map((name) => ({
      name,
      hashes: computeGoldenHashes(getKernel(name), shallow).map((t) => t.sha256),
    }));
    for (const { name, hashes } of byKernel) expect(hashes, `kernel ${name}`).toEqual(byKernel[0].hashes);
  });

  it("exposes the pinned hashes for the golden tiles only", () => {
    for (const spec of GOLDEN_TILES) {
      const entry = golden.tiles.find((t) => t.tile === tileLabel(spec))!;
      expect(pinnedGoldenSha256(spec)).toBe(golden.renderVersion === RENDER_VERSION ? entry.sha256 : undefined);
    }
    expect(pinnedGoldenSha256({ z: 9, x: 1n, y: 1n, scale: 1, palette: "classic" })).toBeUndefined();
  });
});
