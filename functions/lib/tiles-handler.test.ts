import { createHash } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { PNG } from "pngjs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { tileKey } from "../../packages/cache/index";
import {
  DEFAULT_PALETTE,
  MAX_ZOOM,
  PALETTES,
  RENDER_VERSION,
  iterationBudget,
  referenceKey,
  renderTilePng,
  type TileSpec,
} from "../../packages/render/index";
import { apiEvent, bodyBytes, capturedTelemetry, jsonBody, type CapturedTelemetry } from "../../test/handler-harness";
import { CORRUPTIONS, expectCorruptReferenceRepaired } from "../../test/reference-repair";
import { FsTileStore } from "./fs-tile-store";
import type { HttpResult } from "./http";
import { storeFaultReporter } from "./observability";
import { tileCount } from "./prefill";
import { createTilesHandler, type TilesHandlerDeps } from "./tiles-handler";
import type { WarmupResult } from "./warmup";

let root: string;
let captured: CapturedTelemetry;
let rendered: TileSpec[];

beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "fractile-tiles-"));
  captured = capturedTelemetry("42");
  rendered = [];
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

function handlerWith(overrides: Partial<TilesHandlerDeps> = {}) {
  const handle = createTilesHandler({
    store: new FsTileStore(root),
    telemetry: captured.telemetry,
    functionVersion: "42",
    render: (spec) => {
      rendered.push(spec);
      return renderTilePng(spec);
    },
    ...overrides,
  });
  return async (method: string, rawPath: string, headers: Record<string, string> = {}) =>
    (await handle(apiEvent(method, rawPath, { headers }))) as HttpResult;
}

const tilePath = (z: number, x: number, y: number, suffix = "", palette = "classic", version = RENDER_VERSION) =>
  `/tiles/${version}/${palette}/${z}/${x}/${y}${suffix}.png`;

describe("tiles", () => {
  it("renders a miss, caches it, and serves the same bytes from cache next time", async () => {
    const get = handlerWith();
    const first = await get("GET", tilePath(3, 2, 5));
    expect(first.statusCode).toBe(200);
    expect(first.isBase64Encoded).toBe(true);
    expect(first.headers["content-type"]).toBe("image/png");
    expect(first.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    const bytes = bodyBytes(first);
    expect(bytes).toEqual(Buffer.from(renderTilePng({ z: 3, x: 2n, y: 5n, scale: 1, palette: "classic" })));
    expect(first.headers.etag).toBe(`"${createHash("md5").update(bytes).digest("hex")}"`);
    expect(PNG.sync.read(bytes).width).toBe(256);

    const second = await get("GET", tilePath(3, 2, 5));
    expect(bodyBytes(second)).toEqual(bytes);
    expect(second.headers.etag).toBe(first.headers.etag);
    expect(rendered).toHaveLength(1);
    expect(captured.total("TileRequests")).toBe(2);
    expect(captured.total("CacheHits")).toBe(1);
    expect(captured.count("RenderMs")).toBe(1);
    const onDisk = await new FsTileStore(root).get(
      tileKey({ z: 3, x: 2n, y: 5n, scale: 1, palette: "classic" }, RENDER_VERSION),
    );
    expect(Buffer.from(onDisk!)).toEqual(bytes);
  });

  it("serves @2x tiles at 512 px under their own key", async () => {
    const get = handlerWith();
    const result = await get("GET", tilePath(2, 1, 1, "@2x", "magma"));
    expect(result.statusCode).toBe(200);
    const png = PNG.sync.read(bodyBytes(result));
    expect([png.width, png.height]).toEqual([512, 512]);
    expect(rendered).toEqual([{ z: 2, x: 1n, y: 1n, scale: 2, palette: "magma" }]);
    expect(await new FsTileStore(root).has(`tiles/${RENDER_VERSION}/magma/2/1/1@2x.png`)).toBe(true);
  });

  it("answers a matching If-None-Match with 304, including lists and weak tags", async () => {
    const get = handlerWith();
    const { headers } = await get("GET", tilePath(1, 0, 1));
    for (const ifNoneMatch of [headers.etag, `W/${headers.etag}`, `"nope", ${headers.etag}`, "*"]) {
      const result = await get("GET", tilePath(1, 0, 1), { "If-None-Match": ifNoneMatch });
      expect(result.statusCode).toBe(304);
      expect(result.body).toBe("");
      expect(result.headers.etag).toBe(headers.etag);
    }
    expect((await get("GET", tilePath(1, 0, 1), { "if-none-match": '"other"' })).statusCode).toBe(200);
  });

  it("answers HEAD with the headers of GET and no body", async () => {
    const get = handlerWith();
    const full = await get("GET", tilePath(0, 0, 0));
    const head = await get("HEAD", tilePath(0, 0, 0));
    expect(head.statusCode).toBe(200);
    expect(head.body).toBe("");
    expect(head.headers.etag).toBe(full.headers.etag);
    expect(head.headers["content-length"]).toBe(String(bodyBytes(full).byteLength));
  });

  it("serves another render version's tile only from cache, never rendering it", async () => {
    const get = handlerWith();
    const other = "r0-older";
    const missing = await get("GET", tilePath(2, 0, 0, "", "classic", other));
    expect(missing.statusCode).toBe(404);
    expect(missing.headers["cache-control"]).toBe("no-store");
    expect(jsonBody(missing)).toMatchObject({ error: "unknown_render_version" });
    expect(rendered).toEqual([]);

    const theirBytes = new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10, 9, 9]);
    await new FsTileStore(root).put(tileKey({ z: 2, x: 0n, y: 0n, scale: 1, palette: "classic" }, other), theirBytes, {
      "fractile-iterations": "777",
    });
    const cached = await get("GET", tilePath(2, 0, 0, "", "classic", other));
    expect(cached.statusCode).toBe(200);
    expect(bodyBytes(cached)).toEqual(Buffer.from(theirBytes));
    // The budget that version rendered with, from the object's metadata, not this version's rule.
    expect(cached.headers["x-fractile-iterations"]).toBe("777");
    expect(rendered).toEqual([]);
  });

  it("says the iteration budget in X-Fractile-Iterations on a miss, a hit, a 304 and HEAD, and stores it", async () => {
    const get = handlerWith();
    const path = tilePath(25, 3, 4, "@2x");
    const budget = String(iterationBudget(25, 2));
    expect(budget).not.toBe(String(iterationBudget(25, 1)));
    const miss = await get("GET", path);
    const hit = await get("GET", path);
    const revalidated = await get("GET", path, { "if-none-match": hit.headers.etag });
    const head = await get("HEAD", path);
    expect([miss, hit, revalidated, head].map((r) => [r.statusCode, r.headers["x-fractile-iterations"]])).toEqual([
      [200, budget],
      [200, budget],
      [304, budget],
      [200, budget],
    ]);
    expect(rendered).toHaveLength(1);
    const stored = await new FsTileStore(root).getWithMetadata(
      tileKey({ z: 25, x: 3n, y: 4n, scale: 2, palette: "classic" }, RENDER_VERSION),
    );
    expect(stored?.metadata).toEqual({ "fractile-iterations": budget });
  });

  it("reads x and y in base 36: tile 5/31/30 is /5/v/u", async () => {
    const result = await handlerWith()("GET", `/tiles/${RENDER_VERSION}/classic/5/v/u.png`);
    expect(result.statusCode).toBe(200);
    expect(bodyBytes(result)).toEqual(
      Buffer.from(renderTilePng({ z: 5, x: 31n, y: 30n, scale: 1, palette: "classic" })),
    );
  });

  it.each([
    [tilePath(MAX_ZOOM + 1, 0, 0), "z"],
    [tilePath(2, 4, 0), "x"],
    [tilePath(2, 0, 4), "y"],
    [tilePath(2, 0, 0, "", "nope"), "palette"],
    [tilePath(1, -1, 0), "x"],
    [tilePath(1, 0, 1e3), "y"],
    [tilePath(1, 0, "01" as unknown as number), "y"],
    // x and y are base 36: the decimal spelling of 31 is another (here: too large) number.
    [tilePath(5, "31" as unknown as number, 0), "x"],
    [tilePath(5, 0, "V" as unknown as number), "y"],
  ])("rejects %s with a 400 naming %s", async (rawPath, field) => {
    const result = await handlerWith()("GET", rawPath);
    expect(result.statusCode).toBe(400);
    const body = jsonBody(result);
    expect(body.error).toBe("invalid_parameter");
    expect(String(body.detail)).toContain(field);
    expect(rendered).toEqual([]);
  });

  it("keeps serving when the cache fails, and counts the failures", async () => {
    const blocker = path.join(root, "not-a-dir");
    await writeFile(blocker, "x");
    const store = new FsTileStore(blocker, { onFault: storeFaultReporter(captured.telemetry) });
    const result = await handlerWith({ store })("GET", tilePath(1, 1, 1));
    expect(result.statusCode).toBe(200);
    expect(PNG.sync.read(bodyBytes(result)).width).toBe(256);
    expect(captured.total("CacheErrors")).toBeGreaterThanOrEqual(1);
  });

  it("turns an unexpected failure into a logged, counted 500 with a JSON body", async () => {
    const result = await handlerWith({
      render: () => {
        throw new Error("kernel exploded");
      },
    })("GET", tilePath(0, 0, 0));
    expect(result.statusCode).toBe(500);
    expect(jsonBody(result)).toMatchObject({ error: "internal_error" });
    expect(captured.total("ServerErrors")).toBe(1);
  });
});

describe("concurrent requests for one tile", () => {
  it("render it once and all get its bytes", async () => {
    const get = handlerWith();
    const results = await Promise.all(Array.from({ length: 16 }, () => get("GET", tilePath(5, 9, 8))));
    expect(rendered).toHaveLength(1);
    const expected = Buffer.from(renderTilePng({ z: 5, x: 9n, y: 8n, scale: 1, palette: "classic" }));
    for (const result of results) {
      expect(result.statusCode).toBe(200);
      expect(bodyBytes(result).equals(expected)).toBe(true);
    }
    // Only the request that rendered reports a render time; the others joined it.
    expect(captured.count("RenderMs")).toBe(1);
  });

  it("share a failure, and the next request renders afresh", async () => {
    let calls = 0;
    const get = handlerWith({
      render: async (spec) => {
        calls++;
        if (calls === 1) throw new Error("first render fails");
        return renderTilePng(spec);
      },
    });
    const failed = await Promise.all(Array.from({ length: 4 }, () => get("GET", tilePath(2, 1, 2))));
    expect(failed.map((result) => result.statusCode)).toEqual([500, 500, 500, 500]);
    expect(calls).toBe(1);
    expect((await get("GET", tilePath(2, 1, 2))).statusCode).toBe(200);
    expect(calls).toBe(2);
  });

  it("of different tiles render each", async () => {
    const get = handlerWith();
    await Promise.all([
      get("GET", tilePath(4, 1, 1)),
      get("GET", tilePath(4, 1, 2)),
      get("GET", tilePath(4, 1, 2, "@2x")),
    ]);
    expect(rendered).toHaveLength(3);
  });
});

describe("routes", () => {
  it("GET /health names the render and function versions", async () => {
    const result = await handlerWith()("GET", "/health");
    expect(result.statusCode).toBe(200);
    expect(jsonBody(result)).toEqual({ status: "ok", renderVersion: RENDER_VERSION, functionVersion: "42" });
  });

  it("GET /meta describes palettes, zooms and URL templates", async () => {
    const response = await handlerWith()("GET", "/meta");
    expect(response.headers["access-control-allow-origin"]).toBe("*");
    const meta = jsonBody(response);
    expect(meta).toMatchObject({
      renderVersion: RENDER_VERSION,
      palettes: [...PALETTES],
      defaultPalette: DEFAULT_PALETTE,
      tileSize: 256,
      scales: [1, 2],
      minZoom: 0,
      maxZoom: MAX_ZOOM,
      tileUrlTemplate: `/tiles/${RENDER_VERSION}/{palette}/{z}/{x}/{y}{r}.png`,
      coordinateEncoding: "base36",
      bounds: { reMin: -2.5, reMax: 1.5, imMin: -2, imMax: 2 },
      functionVersion: "42",
    });
    expect(String(meta.imageUrlTemplate)).toMatch(/^\/render\.\{format\}\?/);
    // Exports: what a client may submit to POST /exports.
    expect(meta.exportsUrl).toBe("/exports");
    expect(meta.exportLimits).toMatchObject({
      maxSide: 16384,
      formats: ["png", "jpg", "webp"],
      formatLimits: { webp: { maxSide: 16383, maxPixels: 1e8 }, jpg: { maxSide: 16384 } },
    });
  });

  it("answers unknown paths with 404 and wrong methods with 405 and Allow, as JSON", async () => {
    const get = handlerWith();
    const missing = await get("GET", "/nothing/here");
    expect(missing.statusCode).toBe(404);
    expect(jsonBody(missing)).toMatchObject({ error: "not_found" });
    for (const rawPath of ["/health", "/meta", tilePath(0, 0, 0)]) {
      const wrong = await get("DELETE", rawPath);
      expect(wrong.statusCode).toBe(405);
      expect(wrong.headers.allow).toBe("GET, HEAD");
      expect(jsonBody(wrong)).toMatchObject({ error: "method_not_allowed" });
    }
    expect(captured.total("ClientErrors")).toBe(4);
  });

  it("publishes metrics with the service and FunctionVersion dimensions in namespace Fractile", async () => {
    await handlerWith()("GET", tilePath(0, 0, 0));
    const doc = captured.emf[0] as {
      _aws: { CloudWatchMetrics: Array<{ Namespace: string; Dimensions: string[][] }> };
      FunctionVersion: string;
    };
    expect(doc._aws.CloudWatchMetrics[0].Namespace).toBe("Fractile");
    expect(doc._aws.CloudWatchMetrics[0].Dimensions[0]).toEqual(expect.arrayContaining(["service", "FunctionVersion"]));
    expect(doc.FunctionVersion).toBe("42");
  });
});

describe("warm-up event", () => {
  it("prefills the shallow tiles of the default palette with the real renderer and says how many", async () => {
    const handle = createTilesHandler({
      store: new FsTileStore(root),
      telemetry: captured.telemetry,
      functionVersion: "42",
      warmup: { holdMs: 0 },
    });
    const result = (await handle({ fractile: "warmup", fanOut: 0, prefillMaxZoom: 2 })) as WarmupResult;
    expect(result).toEqual({
      warmed: true,
      functionVersion: "42",
      renderVersion: RENDER_VERSION,
      fannedOut: 0,
      prefill: { rendered: tileCount(0, 2), present: 0 },
    });
    const cached = await new FsTileStore(root).get(
      tileKey({ z: 2, x: 3n, y: 1n, scale: 1, palette: DEFAULT_PALETTE }, RENDER_VERSION),
    );
    expect(Buffer.from(cached!)).toEqual(
      Buffer.from(renderTilePng({ z: 2, x: 3n, y: 1n, scale: 1, palette: DEFAULT_PALETTE })),
    );
  });
});

describe("deep tiles and /point", () => {
  // The tile whose top-left corner is C = i, at z300: under anchor z296.
  const z = 300;
  const deepPath = (x: bigint, y: bigint) =>
    `/tiles/${RENDER_VERSION}/classic/${z}/${x.toString(36)}/${y.toString(36)}.png`;
  const x = 5n << BigInt(z - 3);
  const y = 1n << BigInt(z - 2);

  it("stores a deep tile's reference orbit once; tiles under the same anchor reuse it", async () => {
    const store = new FsTileStore(root);
    const puts: string[] = [];
    const counting = Object.assign(Object.create(store), {
      put: (key: string, bytes: Uint8Array, metadata?: Record<string, string>) => (
        puts.push(key), store.put(key, bytes, metadata)
      ),
    }) as FsTileStore;
    const get = handlerWith({ store: counting, render: undefined });
    const refKey = referenceKey({ z, x, y, scale: 1, palette: "classic" }, RENDER_VERSION)!;
    const [a, b] = await Promise.all([get("GET", deepPath(x, y)), get("GET", deepPath(x + 1n, y))]);
    expect([a.statusCode, b.statusCode]).toEqual([200, 200]);
    expect(a.headers["x-fractile-iterations"]).toBe(String(iterationBudget(z)));
    expect(puts.filter((k) => k === refKey)).toHaveLength(1);
    expect(bodyBytes(a)).toEqual(Buffer.from(renderTilePng({ z, x, y, scale: 1, palette: "classic" })));
  });

  // The same scenario runs on radosgw (test/s3-tile-store.test.ts).
  it.each(Object.entries(CORRUPTIONS))(
    "replaces a corrupt stored orbit (%s) once; later tiles of the anchor read it instead of recomputing",
    async (_, corruption) => {
      const store = new FsTileStore(root);
      await expectCorruptReferenceRepaired(
        {
          store,
          captured,
          renderVersion: RENDER_VERSION,
          plant: async (key, bytes) => {
            await mkdir(path.dirname(store.pathOf(key)), { recursive: true });
            await writeFile(store.pathOf(key), bytes);
          },
        },
        corruption,
      );
    },
  );

  it("GET /point answers JSON for one point: count, smooth value, budget, period inside", async () => {
    const get = handlerWith();
    const inside = jsonBody(await get("GET", "/point?re=-1&im=0&zoom=3"));
    expect(inside).toMatchObject({
      escaped: false,
      period: 2,
      budget: iterationBudget(3),
      renderVersion: RENDER_VERSION,
    });
    const outside = jsonBody(await get("GET", "/point?re=0.5&im=0.5&zoom=100"));
    expect(outside).toMatchObject({ escaped: true, period: null, budget: iterationBudget(100) });
    expect(Number(outside.count)).toBeGreaterThan(0);
  });

  it.each([
    ["/point?im=0&zoom=3", "re"],
    ["/point?re=0&zoom=3", "im"],
    ["/point?re=abc&im=0&zoom=3", "re"],
    [`/point?re=${"1".repeat(1025)}&im=0`, "re"],
    ["/point?re=0&im=0&zoom=2401", "zoom"],
    ["/point?re=0&im=0&zoom=1e3", "zoom"],
    ["/point?re=0&im=0&colour=red", "colour"],
  ])("%s → 400 naming %s", async (rawPath, field) => {
    const [path, query] = rawPath.split("?");
    const result = (await createTilesHandler({ store: new FsTileStore(root), telemetry: captured.telemetry })(
      apiEvent("GET", path, { query: Object.fromEntries(new URLSearchParams(query)) }),
    )) as HttpResult;
    expect(result.statusCode).toBe(400);
    expect(jsonBody(result).error).toBe("invalid_parameter");
    expect(String(jsonBody(result).detail).startsWith(`${field}:`)).toBe(true);
  });
});
