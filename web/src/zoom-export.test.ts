import { describe, expect, it } from "vitest";
import { EXPORT_LIMITS } from "../../packages/export/limits";
import { parseExportSpec } from "../../packages/export/spec";
import { budgetForPixelZoom } from "../../packages/tile/index";
import { WORLD_SIZE } from "../../packages/tile/grid";
import { imageZoom } from "./image-export";
import { pixelSize } from "./plane";
import { zoomRequest } from "./zoom-export";
import type { ViewState } from "./view-state";

const VIEWPORT = { width: 1280, height: 720 };
const VIEW: ViewState = { re: -0.7436438870371587, im: 0.1318259042053, zoom: 12, palette: "viridis" };

describe("zoomRequest", () => {
  it("ends on the current view's framing and starts where the frame shows the whole set", () => {
    const { plan, body } = zoomRequest(VIEW, VIEWPORT, 640, 120, EXPORT_LIMITS);
    expect(plan.limited).toBe(false);
    expect(body).toMatchObject({ kind: "zoom", frames: 120, width: 640, height: 360, palette: "viridis" });
    expect(body.toZoom).toBeCloseTo(imageZoom(VIEW.zoom, VIEWPORT, { width: 640, height: 360 }), 5);
    // The frame's short side spans the whole zoom-0 square at the first frame.
    expect(pixelSize(body.fromZoom) * 360).toBeCloseTo(WORLD_SIZE, 4);
    expect(body.fromZoom).toBeLessThan(body.toZoom);
  });

  it("is a body the server's own validation accepts, down to the viewer's deepest views", () => {
    for (const zoom of [0, 3, 12, 30, 44, 90]) {
      for (const frames of [30, 240]) {
        const view = { ...VIEW, zoom, exact: { re: "-0.7436438870371587", im: "0.1318259042053", zoom } };
        const { body } = zoomRequest(view, VIEWPORT, 1920, frames, EXPORT_LIMITS);
        expect(() => parseExportSpec(body), `zoom ${zoom}, ${frames} frames`).not.toThrow();
        expect(body.fromZoom).toBeLessThanOrEqual(body.toZoom);
      }
    }
  });

  it("shrinks the frames so that one frame is one part and all of them fit the job's work bound", () => {
    const deep = { ...VIEW, zoom: 70 };
    const { plan, body } = zoomRequest(deep, VIEWPORT, 1920, 240, EXPORT_LIMITS);
    expect(plan.limited).toBe(true);
    const frameWork = body.width * body.height * budgetForPixelZoom(body.toZoom);
    expect(frameWork).toBeLessThanOrEqual(EXPORT_LIMITS.partMaxWork);
    expect(frameWork * body.frames).toBeLessThanOrEqual(EXPORT_LIMITS.maxWork);
    expect(Math.max(body.width, body.height)).toBeLessThanOrEqual(EXPORT_LIMITS.partMaxSide);
  });

  it("asks for the chosen frame format, in a size that format holds", () => {
    for (const format of ["png", "jpg", "webp"] as const) {
      const { body } = zoomRequest(VIEW, VIEWPORT, 1920, 60, EXPORT_LIMITS, format);
      expect(parseExportSpec(body)).toMatchObject({ kind: "zoom", format });
    }
    expect(zoomRequest(VIEW, VIEWPORT, 640, 60, EXPORT_LIMITS).body.format).toBe("png");
    // A format holding less than a part (none does today) shrinks the frame to what it holds.
    const narrow = {
      ...EXPORT_LIMITS,
      formatLimits: { ...EXPORT_LIMITS.formatLimits, webp: { maxSide: 1000, maxPixels: 400_000 } },
    };
    const { plan, body } = zoomRequest(VIEW, VIEWPORT, 1920, 60, narrow, "webp");
    expect(plan.limited).toBe(true);
    expect(Math.max(body.width, body.height)).toBeLessThanOrEqual(1000);
    expect(body.width * body.height).toBeLessThanOrEqual(400_000);
  });

  it("never starts below the server's shallowest zoom, nor deeper than it ends", () => {
    const tiny = zoomRequest({ ...VIEW, zoom: -3 }, VIEWPORT, 640, 30, EXPORT_LIMITS);
    expect(tiny.body.fromZoom).toBeGreaterThanOrEqual(EXPORT_LIMITS.minZoom);
    expect(tiny.body.fromZoom).toBeLessThanOrEqual(tiny.body.toZoom);
  });
});
