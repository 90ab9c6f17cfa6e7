import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { imageFileName, imageZoom, renderImageUrl } from "./image-export";
import { pixelSize } from "./plane";

const size = fc.record({ width: fc.integer({ min: 100, max: 4000 }), height: fc.integer({ min: 100, max: 4000 }) });

describe("save image", () => {
  it("frames the whole visible area inside the chosen image size", () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 32, noNaN: true }), size, size, (zoom, viewport, image) => {
        const z = imageZoom(zoom, viewport, image);
        const slack = 1 + 1e-9;
        expect(pixelSize(z) * image.width * slack).toBeGreaterThanOrEqual(pixelSize(zoom) * viewport.width);
        expect(pixelSize(z) * image.height * slack).toBeGreaterThanOrEqual(pixelSize(zoom) * viewport.height);
        // ...and fills one side of it exactly (no needless margin).
        const fills = Math.max((pixelSize(zoom) * viewport.width) / (pixelSize(z) * image.width), (pixelSize(zoom) * viewport.height) / (pixelSize(z) * image.height));
        expect(fills).toBeCloseTo(1, 9);
      }),
    );
  });

  it("asks /render for the view's centre, size and palette", () => {
    const url = new URL(
      renderImageUrl("https://api.example", { re: -0.75, im: 0.1, zoom: 3, palette: "magma" }, { width: 960, height: 540 }, { width: 1920, height: 1080 }, "webp"),
    );
    expect(url.origin + url.pathname).toBe("https://api.example/render.webp");
    expect(Object.fromEntries(url.searchParams)).toEqual({ re: "-0.75", im: "0.1", zoom: "4", width: "1920", height: "1080", palette: "magma" });
  });

  it("names the file after the view", () => {
    expect(imageFileName({ re: 0, im: 0, zoom: 2.25, palette: "classic" }, { width: 1920, height: 1080 }, "png")).toBe("fractile-classic-z2.25-1920x1080.png");
  });
});
