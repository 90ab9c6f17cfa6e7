/**
 * The Lambda entry points as Lambda loads them: module-level wiring from the
 * environment (disk store here, since TILE_BUCKET is unset), then events.
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { RENDER_VERSION } from "../packages/render/index";
import { apiEvent, bodyBytes, jsonBody } from "../test/handler-harness";
import type { HttpResult } from "./lib/http";
import type { WarmupResult } from "./lib/warmup";

let cacheDir: string;
const saved = { ...process.env };
beforeAll(async () => {
  cacheDir = await mkdtemp(path.join(os.tmpdir(), "fractile-entry-"));
  Object.assign(process.env, {
    TILE_CACHE_DIR: cacheDir,
    AWS_LAMBDA_FUNCTION_VERSION: "17",
    POWERTOOLS_METRICS_DISABLED: "true",
    POWERTOOLS_LOG_LEVEL: "SILENT",
  });
  delete process.env.TILE_BUCKET;
  delete process.env.WARM_TARGET_ARN;
});
afterAll(async () => {
  process.env = saved;
  await rm(cacheDir, { recursive: true, force: true });
});

describe("functions/tiles.ts", () => {
  it("answers /health and tiles with the version from the environment, and the warm-up event", async () => {
    const { handler } = await import("./tiles");
    const health = (await handler(apiEvent("GET", "/health"))) as HttpResult;
    expect(jsonBody(health)).toEqual({ status: "ok", renderVersion: RENDER_VERSION, functionVersion: "17" });
    const tile = (await handler(apiEvent("GET", `/tiles/${RENDER_VERSION}/classic/1/0/0.png`))) as HttpResult;
    expect(tile.statusCode).toBe(200);
    const warm = (await handler({ fractile: "warmup", fanOut: 3, prefillMaxZoom: 1 })) as WarmupResult;
    expect(warm).toMatchObject({ warmed: true, fannedOut: 0, prefill: { rendered: 4, present: 1 } });
  });

  it("refuses to start with a WARM_TARGET_ARN that is not a qualified alias ARN", async () => {
    vi.resetModules();
    process.env.WARM_TARGET_ARN = "arn:aws:lambda:us-east-1:123456789012:function:fractile-prod-tiles:$LATEST";
    try {
      await expect(import("./tiles")).rejects.toThrow(/WARM_TARGET_ARN must be a Lambda ARN qualified with an alias/);
    } finally {
      delete process.env.WARM_TARGET_ARN;
      vi.resetModules();
    }
  });
});

describe("functions/image.ts", () => {
  it("renders an image through the canvas encoder", async () => {
    const { handler } = await import("./image");
    const result = await handler(apiEvent("GET", "/render.webp", { query: { width: "20", height: "10" } }));
    expect(result.statusCode).toBe(200);
    expect(result.headers["content-type"]).toBe("image/webp");
    expect(bodyBytes(result).subarray(8, 12).toString()).toBe("WEBP");
  });
});

describe("functions/exports.ts and functions/export-worker.ts", () => {
  it("refuses to start without the queue, then answers /exports from the environment's store", async () => {
    vi.resetModules();
    process.env.EXPORT_DIR = path.join(cacheDir, "exports");
    delete process.env.EXPORT_QUEUE_URL;
    await expect(import("./exports")).rejects.toThrow(/EXPORT_QUEUE_URL/);
    vi.resetModules();
    process.env.EXPORT_QUEUE_URL = "https://sqs.us-east-1.amazonaws.com/123456789012/exports";
    const { handler } = await import("./exports");
    const unknown = await handler(apiEvent("GET", `/exports/${crypto.randomUUID()}`));
    expect(unknown.statusCode).toBe(404);
    const bad = await handler(apiEvent("POST", "/exports"));
    expect(bad.statusCode).toBe(400);
  });

  it("the worker reports a message it cannot use as a batch item failure", async () => {
    const { handler } = await import("./export-worker");
    const record = { messageId: "m1", body: "{}", attributes: { ApproximateReceiveCount: "1" } };
    expect(await handler({ Records: [record] } as never)).toEqual({ batchItemFailures: [{ itemIdentifier: "m1" }] });
  });
});
