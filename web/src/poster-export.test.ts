import { describe, expect, it } from "vitest";
import { EXPORT_LIMITS } from "../../packages/export/limits";
import { budgetForPixelZoom } from "../../packages/tile/index";
import { parseExportSpec, type PosterSpec } from "../../packages/export/spec";
import { posterTileAlignment } from "../../packages/export/tile-grid";
import { alignToTiles, posterRequest, posterSize } from "./poster-export";
import type { ViewState } from "./view-state";

const VIEW: ViewState = { re: -0.75, im: 0.1, zoom: 3, palette: "magma" };

describe("posterRequest", () => {
  it("keeps the viewport's proportions with the preset on the long side, zoomed so the framing stays", () => {
    expect(posterSize(16384, { width: 1600, height: 900 })).toEqual({ width: 16384, height: 9216 });
    expect(posterSize(4096, { width: 900, height: 1600 })).toEqual({ width: 2304, height: 4096 });
    const { plan, body } = posterRequest(VIEW, { width: 1024, height: 1024 }, 16384, EXPORT_LIMITS);
    expect(plan.limited).toBe(false);
    expect(body).toMatchObject({
      width: 16384,
      height: 16384,
      zoom: 7,
      palette: "magma",
      re: expect.stringMatching(/^-0\.75/),
    });
  });

  it("shrinks to the server's export limits where the iteration budget is high", () => {
    // The viewer's deepest views (z44): a 16384² poster there is 4 zooms deeper, budget ≈ 16,000.
    const deep = { ...VIEW, zoom: 40 };
    const { plan, body } = posterRequest(deep, { width: 1024, height: 1024 }, 16384, EXPORT_LIMITS);
    expect(plan.limited).toBe(true);
    expect(body.width * body.height * budgetForPixelZoom(body.zoom)).toBeLessThanOrEqual(EXPORT_LIMITS.maxWork);
    expect(body.width).toBeGreaterThan(8192);
  });
});

describe("alignToTiles", () => {
  it("gives posters the server finds lined up with the tile grid, within half a zoom and a pixel of the view", () => {
    const viewports = [
      { width: 1600, height: 900 },
      { width: 777, height: 1023 },
    ];
    let checked = 0;
    for (const zoom of [2.3, 5.5, 9.71, 17.49, 30.2, 40.6]) {
      for (const [re, im] of [
        [-0.743643887037158, 0.131825904205311],
        [-1.25066, -0.02012],
        [0.2501, 0.00007],
      ]) {
        for (const viewport of viewports) {
          const { body } = posterRequest({ re, im, zoom, palette: "classic" }, viewport, 4096, EXPORT_LIMITS);
          const aligned = alignToTiles(body);
          if (aligned === undefined) {
            // only where the poster is about as large as the world (4096 px is the whole set at z4)
            expect(zoom).toBeLessThan(6);
            continue;
          }
          const spec = parseExportSpec(aligned) as PosterSpec;
          expect(posterTileAlignment(spec), `${re} ${im} z${zoom}`).toMatchObject({ aligned: true });
          expect(Math.abs(aligned.zoom - body.zoom)).toBeLessThanOrEqual(0.5);
          expect([aligned.width, aligned.height]).toEqual([body.width, body.height]);
          const pixel = 4 / 2 ** aligned.zoom / 256;
          expect(Math.abs(Number(aligned.re) - Number(body.re))).toBeLessThan(pixel);
          expect(Math.abs(Number(aligned.im) - Number(body.im))).toBeLessThan(pixel);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThanOrEqual(30);
  });

  it("refuses where the lined-up poster would reach outside the tiles, as the server would", () => {
    const body = { re: "-0.4", im: "0.3", zoom: 4, width: 4096, height: 2304, palette: "classic" };
    expect(alignToTiles(body)).toBeUndefined();
    const onGrid = { ...body, re: "-0.375", im: "0.5" }; // on the pixel grid, but 128 px past the right edge
    expect(posterTileAlignment(parseExportSpec(onGrid) as PosterSpec)).toMatchObject({ aligned: false });
  });

  it("leaves a poster that already lines up as it is", () => {
    const body = { re: "-0.75", im: "0.125", zoom: 10, width: 4096, height: 2048, palette: "classic" };
    expect(posterTileAlignment(parseExportSpec(body) as PosterSpec)).toMatchObject({ aligned: true });
    expect(alignToTiles(body)).toEqual(body);
  });
});
