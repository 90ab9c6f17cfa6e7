import { randomFillSync } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { loadImage } from "@napi-rs/canvas";
import { PNG } from "pngjs";
import {
  DEFAULT_PALETTE,
  IMAGE_LIMITS,
  pixelSizeOfZoom,
  renderViewRgba,
  type ViewSpec,
} from "../../packages/render/index";
import { apiEvent, bodyBytes, capturedTelemetry, jsonBody, type CapturedTelemetry } from "../../test/handler-harness";
import { FsTileStore } from "./fs-tile-store";
import { MAX_ENCODED_BYTES, createImageHandler } from "./image-handler";
import { createTilesHandler } from "./tiles-handler";

let captured: CapturedTelemetry;
let views: ViewSpec[];
beforeEach(() => {
  captured = capturedTelemetry();
  views = [];
});

function imageHandler() {
  const handle = createImageHandler({
    telemetry: captured.telemetry,
    renderView: (view) => {
      views.push(view);
      return renderViewRgba(view);
    },
  });
  return (rawPath: string, query: Record<string, string> = {}, method = "GET") =>
    handle(apiEvent(method, rawPath, { query }));
}

describe("GET /render.png", () => {
  it("renders the requested view losslessly: the PNG's pixels are the render core's", async () => {
    const query = { re: "-0.75", im: "0.1", zoom: "3.5", width: "64", height: "48", palette: "magma" };
    const result = await imageHandler()("/render.png", query);
    expect(result.statusCode).toBe(200);
    expect(result.headers["content-type"]).toBe("image/png");
    const png = PNG.sync.read(bodyBytes(result));
    expect([png.width, png.height]).toEqual([64, 48]);
    const expected = renderViewRgba({
      centerRe: -0.75,
      centerIm: 0.1,
      pixelSize: 4 / 2 ** 3.5 / 256,
      width: 64,
      height: 48,
      palette: "magma",
    });
    expect(Buffer.from(png.data)).toEqual(Buffer.from(expected));
    expect(captured.total("ImageRequests")).toBe(1);
    expect(captured.count("RenderMs")).toBe(1);
  });

  it.each([
    ["/render.jpg", "image/jpeg"],
    ["/render.jpeg", "image/jpeg"],
    ["/render.webp", "image/webp"],
  ])("%s encodes as %s", async (rawPath, type) => {
    const result = await imageHandler()(rawPath, { width: "40", height: "30" });
    expect(result.statusCode).toBe(200);
    expect(result.headers["content-type"]).toBe(type);
    const decoded = await loadImage(bodyBytes(result));
    expect([decoded.width, decoded.height]).toEqual([40, 30]);
  });

  it("accepts scale (complex units per pixel) instead of zoom, and defaults everything else", async () => {
    const result = await imageHandler()("/render.png", { scale: "0.001", width: "16", height: "16" });
    expect(result.statusCode).toBe(200);
    expect(views[0]).toMatchObject({ pixelSize: 0.001, centerRe: -0.5, centerIm: 0, palette: DEFAULT_PALETTE });
  });

  it("HEAD sends headers only", async () => {
    const result = await imageHandler()("/render.png", { width: "8", height: "8" }, "HEAD");
    expect(result.statusCode).toBe(200);
    expect(result.body).toBe("");
  });
});

describe("bad requests", () => {
  it.each([
    [{ re: "abc" }, "re"],
    [{ re: "NaN" }, "re"],
    [{ im: "1e999" }, "im"],
    [{ re: "100" }, "re"],
    [{ zoom: "2401" }, "zoom"],
    [{ zoom: "40", re: "1".repeat(1025) }, "re"],
    [{ zoom: "40", im: "0.1.2" }, "im"],
    [{ zoom: "40", im: "--1" }, "im"],
    [{ scale: "1e-30" }, "scale"],
    [{ zoom: "-20" }, "zoom"],
    [{ zoom: "2", scale: "0.1" }, "zoom"],
    [{ scale: "0" }, "scale"],
    [{ scale: "-1" }, "scale"],
    [{ width: "0" }, "width"],
    [{ width: "12.5" }, "width"],
    [{ height: "5000" }, "height"],
    [{ width: "1e3" }, "width"],
    [{ palette: "rainbow" }, "palette"],
    [{ colour: "red" }, "colour"],
  ])("%j → 400 naming %s", async (query, field) => {
    const result = await imageHandler()("/render.png", query);
    expect(result.statusCode).toBe(400);
    const body = jsonBody(result);
    expect(body.error).toBe("invalid_parameter");
    expect(String(body.detail)).toContain(field);
    expect(views).toEqual([]);
  });

  it("refuses too many pixels and too much work with 413 before rendering", async () => {
    const tooBig = await imageHandler()("/render.png", { width: "4096", height: "4096" });
    expect(tooBig.statusCode).toBe(413);
    expect(jsonBody(tooBig).error).toBe("image_too_large");
    // Deep zoom: the iteration budget makes even a legal pixel count too much work.
    const deep = await imageHandler()("/render.png", {
      zoom: String(IMAGE_LIMITS.maxZoom),
      width: "1920",
      height: "1080",
    });
    expect(deep.statusCode).toBe(413);
    expect(jsonBody(deep).error).toBe("too_much_work");
    expect(views).toEqual([]);
    expect(captured.total("ClientErrors")).toBe(2);
  });

  it("refuses with 413 an encoded image too big for a Lambda response, instead of failing in API Gateway", async () => {
    // Noise does not compress: 1536² RGBA pixels make a PNG far over the ~4.7 MB that fit base64 in 6 MB.
    const noisy = createImageHandler({
      telemetry: captured.telemetry,
      renderView: ({ width, height }) => {
        const rgba = randomFillSync(new Uint8ClampedArray(width * height * 4));
        for (let i = 3; i < rgba.length; i += 4) rgba[i] = 255; // opaque, like a render
        return rgba;
      },
    });
    const result = await noisy(apiEvent("GET", "/render.png", { query: { width: "1536", height: "1536" } }));
    expect(result.statusCode).toBe(413);
    expect(jsonBody(result).error).toBe("image_too_large");
    expect(String(jsonBody(result).detail)).toContain(String(MAX_ENCODED_BYTES));
    // The same picture as JPEG fits.
    const jpeg = await noisy(apiEvent("GET", "/render.jpg", { query: { width: "1536", height: "1536" } }));
    expect(jpeg.statusCode).toBe(200);
    expect(jpeg.body!.length).toBeLessThan(6 * 1024 * 1024);
  });

  it("answers unknown formats with 404 and wrong methods with 405", async () => {
    expect((await imageHandler()("/render.gif")).statusCode).toBe(404);
    expect((await imageHandler()("/render.png/x")).statusCode).toBe(404);
    const post = await imageHandler()("/render.png", {}, "POST");
    expect(post.statusCode).toBe(405);
    expect(post.headers.allow).toBe("GET, HEAD");
  });
});

describe("limits", () => {
  it("accept the extremes the render core accepts: deepest and widest pixel sizes", async () => {
    const get = imageHandler();
    const extremes: Array<Record<string, string>> = [
      {
        zoom: String(IMAGE_LIMITS.maxZoom),
        re: "-0.743643887037151",
        im: "0.13182590420533",
        width: "32",
        height: "32",
      },
      { scale: String(pixelSizeOfZoom(IMAGE_LIMITS.maxScaleZoom)), width: "32", height: "32" },
      { zoom: String(IMAGE_LIMITS.minZoom), width: "32", height: "32" },
      { scale: String(pixelSizeOfZoom(IMAGE_LIMITS.minZoom)), width: "32", height: "32" },
    ];
    for (const query of extremes) {
      const result = await get("/render.png", query);
      expect(result.statusCode, JSON.stringify(query) + result.body?.slice(0, 200)).toBe(200);
    }
  });

  it("are the ones /meta publishes for the viewer: each edge accepted, one step past it refused", async () => {
    const tiles = createTilesHandler({ store: new FsTileStore("/nonexistent"), telemetry: captured.telemetry });
    const published = jsonBody((await tiles(apiEvent("GET", "/meta"))) as never).imageLimits as Record<string, number>;
    // A flat grey view: the limits are checked before rendering, and the edges need not be rendered for real.
    const grey = (v: ViewSpec) => new Uint8ClampedArray(v.width * v.height * 4);
    const handle = createImageHandler({ telemetry: captured.telemetry, renderView: grey });
    const answer = (query: Record<string, string>) => handle(apiEvent("GET", "/render.png", { query }));
    const status = async (query: Record<string, string>) => (await answer(query)).statusCode;
    const { maxSide, maxPixels, maxWork, minZoom, maxZoom } = published;

    expect(await status({ width: String(maxSide), height: "1" })).toBe(200);
    expect(await status({ width: String(maxSide + 1), height: "1" })).toBe(400);
    const square = Math.floor(Math.sqrt(maxPixels));
    expect(await status({ width: String(square), height: String(Math.floor(maxPixels / square)) })).toBe(200);
    expect(await status({ width: String(square), height: String(Math.floor(maxPixels / square) + 1) })).toBe(413);
    const zooms = [
      [minZoom, 200],
      [maxZoom, 200],
      [minZoom - 0.01, 400],
      [maxZoom + 0.01, 400],
    ] as const;
    for (const [zoom, expected] of zooms) {
      expect(await status({ zoom: String(zoom), width: "8", height: "8" }), `zoom ${zoom}`).toBe(expected);
    }
    // At the deepest zoom the largest image needs more iterations than maxWork allows.
    const tooMuch = await answer({ zoom: String(maxZoom), width: String(square), height: String(square) });
    expect(tooMuch.statusCode).toBe(413);
    const detail = expect.stringContaining(`exceeds ${maxWork};`);
    expect(jsonBody(tooMuch)).toMatchObject({ error: "too_much_work", detail });
  });
});
