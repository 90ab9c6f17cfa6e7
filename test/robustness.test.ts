/**
 * Property test: thousands of random and hostile requests, straight into the
 * handlers and over real HTTP into the local server. Whatever a client sends:
 * never a 5xx, never a crash, 4xx always as JSON `{ error, detail }`, and
 * nothing wrong ever lands in the tile cache.
 *
 * Cost is kept bounded: valid tiles are generated only at shallow zooms, and
 * the handler-level run swaps the image renderer for a blank one (that part is
 * about routing and validation); the HTTP run renders everything for real.
 */
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PALETTES, RENDER_VERSION, renderTilePng, parseTileSpec, tileIterationBudget } from "../packages/render/index";
import { FsTileStore } from "../functions/lib/fs-tile-store";
import type { HttpResult } from "../functions/lib/http";
import { createImageHandler } from "../functions/lib/image-handler";
import { createTilesHandler } from "../functions/lib/tiles-handler";
import { startServer, type RunningServer } from "../scripts/serve";
import { apiEvent, capturedTelemetry } from "./handler-harness";
import { rawRequest } from "./http-client";

const hostileSegment = fc.oneof(
  fc.constantFrom(
    "",
    ".",
    "..",
    "%2e%2e",
    "%2E%2E%2F",
    "%2f",
    "%00",
    "%",
    "%zz",
    "%E0%A4%A",
    "%C0%AE",
    "\u00e9",
    "%F0%9F%98%80",
    "tiles",
    "health",
    "meta",
    "render.png",
    "render.jpg",
    "render.webp",
    "render.gif",
    "render.",
    "index.html",
    RENDER_VERSION,
    "r0-older",
    ...PALETTES,
    "nope",
    "__proto__",
    "constructor",
    "0",
    "1",
    "01",
    "-1",
    "+1",
    "1e3",
    "0x10",
    "1.5",
    " 1",
    "9007199254740993",
    "99999999999999999999",
    "NaN",
    "Infinity",
    "0.png",
    "1@2x.png",
    "0@3x.png",
    "@2x.png",
    ".png",
    "0.PNG",
    "0.png.png",
    "a".repeat(300),
  ),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: "binary", maxLength: 6 }).map((s) => encodeURIComponent(s)),
  fc.nat({ max: 70 }).map(String),
);

/** Mostly-valid tile paths at zooms cheap to render, with hostile twists. */
const tilePath = fc
  .record({
    version: fc.constantFrom(RENDER_VERSION, RENDER_VERSION, "r0-older", "..", "%2e%2e"),
    palette: fc.oneof(fc.constantFrom(...PALETTES), hostileSegment),
    z: fc.nat({ max: 4 }),
    x: fc.nat({ max: 17 }),
    y: fc.nat({ max: 17 }),
    suffix: fc.constantFrom(".png", "@2x.png", "@1x.png", "", ".png?x=1"),
  })
  .map(({ version, palette, z, x, y, suffix }) => `/tiles/${version}/${palette}/${z}/${x}/${y}${suffix}`);

const anyPath = fc.oneof(
  { arbitrary: tilePath, weight: 3 },
  {
    arbitrary: fc.array(hostileSegment, { minLength: 0, maxLength: 8 }).map((segments) => `/${segments.join("/")}`),
    weight: 2,
  },
  {
    arbitrary: fc.constantFrom(
      "/health",
      "/meta",
      "/render.png",
      "/render.jpg",
      "/render.webp",
      "/",
      "//",
      "/tiles/",
      "/tiles//",
    ),
    weight: 1,
  },
);

/** Requests that surely cache a tile, so the cache check below never passes vacuously. */
const SURE_TILES = [`/tiles/${RENDER_VERSION}/classic/2/1/1.png`, `/tiles/${RENDER_VERSION}/magma/1/0/1@2x.png`];

const hostileNumber = fc.oneof(
  fc.constantFrom(
    "",
    "NaN",
    "Infinity",
    "-Infinity",
    "1e308",
    "1e-320",
    "-0",
    "0x10",
    " 1",
    "1,2",
    "4096",
    "4097",
    "0",
    "33",
    "33.0000001",
    "-4",
    "-5",
    "1e999",
    "١",
  ),
  fc.double({ noNaN: false }).map(String),
  fc.integer({ min: -10, max: 5000 }).map(String),
  fc.string({ maxLength: 8 }),
);

/** Image queries whose valid values stay small enough to render quickly for real. */
const imageQuery = fc.dictionary(
  fc.oneof(fc.constantFrom("re", "im", "zoom", "scale", "width", "height", "palette"), fc.string({ maxLength: 6 })),
  fc.oneof(hostileNumber, fc.constantFrom(...PALETTES), fc.integer({ min: 1, max: 48 }).map(String)),
  { maxKeys: 6 },
);

const method = fc.oneof(
  fc.constantFrom("GET", "GET", "GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH"),
  fc.stringMatching(/^[A-Z]{1,10}$/),
);
const ifNoneMatch = fc.option(fc.oneof(fc.constantFrom("*", 'W/"x"', '"', ",,,", ""), fc.string({ maxLength: 20 })), {
  nil: undefined,
});

function expectWellFormed(
  method: string,
  status: number,
  contentType: string | undefined,
  body: string,
  context: string,
): void {
  expect(status, context).toBeLessThan(500);
  expect(status, context).toBeGreaterThanOrEqual(200);
  if (method === "HEAD") {
    expect(body, context).toBe("");
  } else if (status >= 400) {
    expect(contentType, context).toMatch(/^application\/json/);
    const parsed = JSON.parse(body);
    expect(typeof parsed.error, context).toBe("string");
    expect(typeof parsed.detail, context).toBe("string");
  }
}

/** Every cached file must be exactly what the renderer makes for the tile its key names. */
async function expectCacheHoldsOnlyCorrectTiles(root: string): Promise<number> {
  const all = (await readdir(root, { recursive: true, withFileTypes: true })).filter((e) => e.isFile());
  // Metadata files sit beside their tiles (FsTileStore); they are checked with the tile.
  const files = all.filter((e) => !e.name.endsWith("~meta.json"));
  expect(all.length, "every tile has its metadata file").toBe(2 * files.length);
  for (const entry of files) {
    const key = path.relative(root, path.join(entry.parentPath, entry.name)).split(path.sep).join("/");
    const match = /^tiles\/([^/]+)\/([^/]+)\/(\d+)\/([0-9a-z]+)\/([0-9a-z]+)(@2x)?\.png$/.exec(key);
    expect(match, `unexpected cache entry ${key}`).not.toBeNull();
    const [, version, palette, z, x, y, at2x] = match!;
    expect(version).toBe(RENDER_VERSION);
    const spec = parseTileSpec({ z, x, y, scale: at2x ? "2" : undefined, palette });
    expect(await readFile(path.join(root, ...key.split("/"))), key).toEqual(Buffer.from(renderTilePng(spec)));
    const metadata = JSON.parse(await readFile(`${path.join(root, ...key.split("/"))}~meta.json`, "utf8"));
    expect(metadata, key).toEqual({ "fractile-iterations": String(tileIterationBudget(spec)) });
  }
  return files.length;
}

describe("hostile requests straight into the handlers", () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), "fractile-fuzz-handlers-"));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it("never answer 5xx, always answer 4xx as JSON, and cache only correct tiles", async () => {
    const captured = capturedTelemetry();
    const tiles = createTilesHandler({ store: new FsTileStore(root), telemetry: captured.telemetry });
    const image = createImageHandler({
      telemetry: captured.telemetry,
      renderView: ({ width, height }) => new Uint8ClampedArray(width * height * 4),
    });
    await fc.assert(
      fc.asyncProperty(method, anyPath, imageQuery, ifNoneMatch, async (m, rawPath, query, inm) => {
        const event = apiEvent(m, rawPath, { query, headers: inm === undefined ? {} : { "if-none-match": inm } });
        const handler = rawPath.startsWith("/render.") ? image : tiles;
        const result = (await handler(event)) as HttpResult;
        expectWellFormed(
          m,
          result.statusCode,
          result.headers["content-type"],
          result.body ?? "",
          `${m} ${rawPath} ${JSON.stringify(query)}`,
        );
      }),
      { numRuns: 3000 },
    );
    for (const rawPath of SURE_TILES)
      expect(((await tiles(apiEvent("GET", rawPath))) as HttpResult).statusCode).toBe(200);
    expect(captured.total("ServerErrors")).toBe(0);
    expect(await expectCacheHoldsOnlyCorrectTiles(root)).toBeGreaterThan(0);
  });
});

describe("hostile requests over HTTP into the local server", () => {
  let root: string;
  let server: RunningServer;
  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), "fractile-fuzz-http-"));
    server = await startServer({
      port: 0,
      store: new FsTileStore(path.join(root, "tiles")),
      webRoot: path.join(root, "no-viewer"),
      logLevel: "SILENT",
    });
  });
  afterAll(async () => {
    await server?.close();
    await rm(root, { recursive: true, force: true });
  });

  it("never answers 5xx or crashes, always answers 4xx as JSON, and caches only correct tiles", async () => {
    const target = fc.tuple(anyPath, imageQuery).map(([rawPath, query]) => {
      const search = new URLSearchParams(query).toString();
      // Node's client refuses raw control characters and spaces in a request target.
      const safePath = rawPath.replace(/[^\x21-\x7e]/g, (c) => encodeURIComponent(c));
      return search ? `${safePath}?${search}` : safePath;
    });
    await fc.assert(
      fc.asyncProperty(method, target, ifNoneMatch, async (m, requestTarget, inm) => {
        const headers: Record<string, string> = {};
        if (inm !== undefined && /^[\x20-\x7e]*$/.test(inm)) headers["if-none-match"] = inm;
        const response = await rawRequest(server.url, m, requestTarget, headers);
        expectWellFormed(
          m,
          response.status,
          response.headers["content-type"],
          response.body.toString(),
          `${m} ${requestTarget}`,
        );
      }),
      { numRuns: 700 },
    );
    expect((await rawRequest(server.url, "GET", "/health")).status).toBe(200);
    for (const rawPath of SURE_TILES) expect((await rawRequest(server.url, "GET", rawPath)).status).toBe(200);
    expect(await expectCacheHoldsOnlyCorrectTiles(path.join(root, "tiles"))).toBeGreaterThan(0);
  }, 120_000);
});
