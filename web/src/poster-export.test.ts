import { describe, expect, it } from "vitest";
import { EXPORT_LIMITS, formatSizeProblem } from "../../packages/export/limits";
import { budgetForPixelZoom } from "../../packages/tile/index";
import { parseExportSpec, type PosterSpec } from "../../packages/export/spec";
import { posterTileAlignment } from "../../packages/export/tile-grid";
import { FORMAT_LABELS, IMAGE_FORMATS } from "./image-export";
import {
  alignToTiles,
  fitToFormat,
  formatLimitRemark,
  POSTER_SIDES,
  posterPresetLabel,
  posterRequest,
  posterSize,
} from "./poster-export";
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

describe("poster formats", () => {
  const VIEWPORTS = [
    { width: 1280, height: 720 },
    { width: 1024, height: 1024 },
    { width: 777, height: 1023 },
  ];
  const WEBP = EXPORT_LIMITS.formatLimits.webp;

  it("asks for the chosen format, every preset in a size the server's own validation takes in that format", () => {
    let checked = 0;
    for (const format of IMAGE_FORMATS) {
      for (const side of POSTER_SIDES) {
        for (const viewport of VIEWPORTS) {
          for (const zoom of [2, 9.7, 30, 44]) {
            const view = { ...VIEW, zoom, exact: { re: "-0.743643887037158", im: "0.131825904205311", zoom } };
            const { body, formatLimited } = posterRequest(view, viewport, side, EXPORT_LIMITS, format);
            const where = `${format} ${side} px, ${viewport.width}×${viewport.height}, z${zoom}`;
            expect(() => parseExportSpec(body), where).not.toThrow();
            expect(parseExportSpec(body), where).toMatchObject({ kind: "poster", format });
            // Shrunk for its format exactly where the server would refuse the preset in that format.
            const preset = posterSize(side, viewport);
            expect(formatLimited, where).toBe(formatSizeProblem(format, preset.width, preset.height) !== undefined);
            checked++;
          }
        }
      }
    }
    expect(checked).toBe(IMAGE_FORMATS.length * POSTER_SIDES.length * VIEWPORTS.length * 4);
    expect(posterRequest(VIEW, VIEWPORTS[0], 4096, EXPORT_LIMITS).body.format).toBe("png");
  });

  it("shrinks a preset only as far as its format needs, in the window's proportions", () => {
    for (const viewport of VIEWPORTS) {
      const { plan, formatLimited, body } = posterRequest(VIEW, viewport, 16384, EXPORT_LIMITS, "webp");
      expect(formatLimited).toBe(true);
      expect(plan.limited).toBe(false); // at z3 the depth bound does not bite: only the format did
      const { width, height } = body;
      expect(Math.max(width, height)).toBeLessThanOrEqual(WEBP.maxSide);
      expect(width * height).toBeLessThanOrEqual(WEBP.maxPixels);
      // One pixel more on each side would not fit: the largest webp of these proportions.
      expect(formatSizeProblem("webp", width + 1, height + 1)).toBeDefined();
      expect(width / height).toBeCloseTo(viewport.width / viewport.height, 2);
      // png and jpg hold the whole preset.
      for (const format of ["png", "jpg"] as const) {
        const whole = posterRequest(VIEW, viewport, 16384, EXPORT_LIMITS, format);
        expect(whole.formatLimited).toBe(false);
        expect([whole.body.width, whole.body.height]).toEqual(Object.values(posterSize(16384, viewport)));
      }
    }
  });

  it("fits exactly at a bound, and leaves sizes within it as they are", () => {
    const wanted = { width: 16384, height: 9216 };
    expect(fitToFormat(wanted, { maxSide: 16384, maxPixels: 16384 * 16384 })).toBe(wanted);
    expect(fitToFormat(wanted, { maxSide: 8192, maxPixels: Number.POSITIVE_INFINITY })).toEqual({
      width: 8192,
      height: 4608,
    });
    expect(fitToFormat({ width: 3, height: 1000 }, { maxSide: 100, maxPixels: 100 })).toEqual({
      width: 1,
      height: 100,
    });
  });

  it("takes a server that publishes no format limits at its job bounds", () => {
    const older = { ...EXPORT_LIMITS, formats: undefined, formatLimits: undefined };
    const { formatLimited, body } = posterRequest(VIEW, VIEWPORTS[0], 16384, older, "webp");
    expect(formatLimited).toBe(false);
    expect(body.width).toBe(16384);
  });

  it("labels a preset with what the chosen format makes of it, and says why", () => {
    const viewport = VIEWPORTS[0];
    const shrunk = posterRequest(VIEW, viewport, 16384, EXPORT_LIMITS, "webp").body;
    const remark = formatLimitRemark(EXPORT_LIMITS, "webp");
    expect(posterPresetLabel(16384, viewport, EXPORT_LIMITS, "webp")).toEqual({
      text: `16384→${Math.max(shrunk.width, shrunk.height)}`,
      title: remark,
    });
    expect(posterPresetLabel(16384, viewport, EXPORT_LIMITS, "jpg")).toEqual({ text: "16384 px", title: "" });
    expect(posterPresetLabel(8192, viewport, EXPORT_LIMITS, "webp")).toEqual({ text: "8192 px", title: "" });
    expect(remark).toContain(`${FORMAT_LABELS.webp} holds at most ${WEBP.maxSide} px a side`);
    expect(remark).toContain(`${WEBP.maxPixels / 1e6} Mpx`);
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
    const body = {
      re: "-0.4",
      im: "0.3",
      zoom: 4,
      width: 4096,
      height: 2304,
      palette: "classic",
      format: "png" as const,
    };
    expect(alignToTiles(body)).toBeUndefined();
    const onGrid = { ...body, re: "-0.375", im: "0.5" }; // on the pixel grid, but 128 px past the right edge
    expect(posterTileAlignment(parseExportSpec(onGrid) as PosterSpec)).toMatchObject({ aligned: false });
  });

  it("leaves a poster that already lines up as it is, in its format", () => {
    const body = {
      re: "-0.75",
      im: "0.125",
      zoom: 10,
      width: 4096,
      height: 2048,
      palette: "classic",
      format: "jpg" as const,
    };
    expect(posterTileAlignment(parseExportSpec(body) as PosterSpec)).toMatchObject({ aligned: true });
    expect(alignToTiles(body)).toEqual(body);
  });
});
