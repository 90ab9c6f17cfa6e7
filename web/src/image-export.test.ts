import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseImageRequest } from "../../functions/lib/image-request";
import { IMAGE_LIMITS, iterationBudget } from "../../packages/render/index";
import { imageFileName, imageZoom, planImage, renderImageUrl } from "./image-export";
import { pixelSize } from "./plane";

const size = fc.record({ width: fc.integer({ min: 100, max: 4000 }), height: fc.integer({ min: 100, max: 4000 }) });
const viewZoom = fc.double({ min: 0, max: 32, noNaN: true });

describe("save image", () => {
  it("frames the whole visible area inside the chosen image size", () => {
    fc.assert(
      fc.property(viewZoom, size, size, (zoom, viewport, image) => {
        const z = imageZoom(zoom, viewport, image);
        const slack = 1 + 1e-9;
        expect(pixelSize(z) * image.width * slack).toBeGreaterThanOrEqual(pixelSize(zoom) * viewport.width);
        expect(pixelSize(z) * image.height * slack).toBeGreaterThanOrEqual(pixelSize(zoom) * viewport.height);
        // ...and fills one side of it exactly (no needless margin).
        const fills = Math.max(
          (pixelSize(zoom) * viewport.width) / (pixelSize(z) * image.width),
          (pixelSize(zoom) * viewport.height) / (pixelSize(z) * image.height),
        );
        expect(fills).toBeCloseTo(1, 9);
      }),
    );
  });

  it("shrinks a wanted size to what the server accepts at this depth, keeping its shape", () => {
    fc.assert(
      fc.property(viewZoom, size, size, (zoom, viewport, wanted) => {
        const plan = planImage(zoom, viewport, wanted, IMAGE_LIMITS);
        const pixels = plan.size.width * plan.size.height;
        expect(pixels).toBeLessThanOrEqual(IMAGE_LIMITS.maxPixels);
        expect(pixels * iterationBudget(Math.max(0, plan.zoom))).toBeLessThanOrEqual(IMAGE_LIMITS.maxWork);
        expect(Math.max(plan.size.width, plan.size.height)).toBeLessThanOrEqual(IMAGE_LIMITS.maxSide);
        expect(plan.zoom).toBeLessThanOrEqual(IMAGE_LIMITS.maxZoom);
        expect(plan.zoom).toBeCloseTo(imageZoom(zoom, viewport, plan.size), 12);
        expect(Math.abs(plan.size.width / plan.size.height - wanted.width / wanted.height)).toBeLessThan(
          0.05 * (wanted.width / wanted.height) + 0.02,
        );
        expect(plan.limited).toBe(plan.size.width !== wanted.width || plan.size.height !== wanted.height);
      }),
    );
  });

  it("plans only requests the server's /render parser accepts, for views it can frame", () => {
    fc.assert(
      fc.property(viewZoom, size, size, fc.double({ min: -2, max: 2, noNaN: true }), (zoom, viewport, wanted, re) => {
        // Shrinking only zooms out: a view already wider than minZoom at the wanted size is left to the server's 400.
        fc.pre(imageZoom(zoom, viewport, wanted) >= IMAGE_LIMITS.minZoom + 1e-6);
        const view = { re, im: 0.1, zoom, palette: "classic" };
        const plan = planImage(zoom, viewport, wanted, IMAGE_LIMITS);
        const url = new URL(renderImageUrl("https://api.example", view, plan, "png"));
        expect(() => parseImageRequest("png", Object.fromEntries(url.searchParams))).not.toThrow();
      }),
    );
  });

  it("keeps the wanted size when it fits, and shrinks it at depth", () => {
    const window = { width: 1280, height: 720 };
    expect(planImage(5, window, { width: 1920, height: 1080 }, IMAGE_LIMITS)).toEqual({
      size: { width: 1920, height: 1080 },
      zoom: 5 + Math.log2(1.5),
      limited: false,
    });
    const deep = planImage(32, window, { width: 2048, height: 1152 }, IMAGE_LIMITS);
    expect(deep.limited).toBe(true);
    expect(deep.size.width).toBeLessThan(2048);
  });

  it("asks /render for the view's centre, size and palette", () => {
    const view = { re: -0.75, im: 0.1, zoom: 3, palette: "magma" };
    const plan = planImage(view.zoom, { width: 960, height: 540 }, { width: 1920, height: 1080 }, IMAGE_LIMITS);
    const url = new URL(renderImageUrl("https://api.example", view, plan, "webp"));
    expect(url.origin + url.pathname).toBe("https://api.example/render.webp");
    expect(Object.fromEntries(url.searchParams)).toEqual({
      re: "-0.75",
      im: "0.1",
      zoom: "4",
      width: "1920",
      height: "1080",
      palette: "magma",
    });
  });

  it("names the file after the view", () => {
    expect(imageFileName({ re: 0, im: 0, zoom: 2.25, palette: "classic" }, { width: 1920, height: 1080 }, "png")).toBe(
      "fractile-classic-z2.25-1920x1080.png",
    );
  });
});
