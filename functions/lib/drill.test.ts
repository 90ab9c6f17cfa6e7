import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { RENDER_VERSION, encodeTileIndex } from "../../packages/render/index";
import { apiEvent, capturedTelemetry, jsonBody, type CapturedTelemetry } from "../../test/handler-harness";
import { apiGatewayGet } from "./deploy/api-event";
import { DRILL_ENV, DrillSettingError, drillEnvironment, drillFromEnv, withDrill, type DrillSettings } from "./drill";
import { FsTileStore } from "./fs-tile-store";
import type { HttpResult } from "./http";
import { createTilesHandler } from "./tiles-handler";

/** A deterministic uniform source: the fractional parts of k * golden ratio (a low-discrepancy sequence). */
function goldenSequence(): () => number {
  let k = 0;
  return () => (++k * 0.6180339887498949) % 1;
}

let root: string;
let captured: CapturedTelemetry;
beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "fractile-drill-"));
  captured = capturedTelemetry("8");
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const tile = (x: number) =>
  `/tiles/${RENDER_VERSION}/classic/6/${encodeTileIndex(BigInt(x))}/${encodeTileIndex(20n)}.png`;

function drilled(drill: DrillSettings | undefined, random = goldenSequence(), slept: number[] = []) {
  const tiles = createTilesHandler({
    store: new FsTileStore(root),
    telemetry: captured.telemetry,
    functionVersion: "8",
    render: () => new Uint8Array([1, 2, 3]),
  });
  const sleep = async (ms: number) => {
    slept.push(ms);
  };
  const handler = withDrill(tiles, drill, { telemetry: captured.telemetry, random, sleep });
  return async (rawPath: string) => (await handler(apiEvent("GET", rawPath))) as HttpResult;
}

describe("drillFromEnv", () => {
  it("is off unless a variable is set", () => {
    expect(drillFromEnv({})).toBeUndefined();
    expect(drillFromEnv({ [DRILL_ENV.faultRate]: " ", [DRILL_ENV.latencyMs]: "" })).toBeUndefined();
  });

  it("reads a rate, a latency, or both", () => {
    expect(drillFromEnv({ [DRILL_ENV.faultRate]: "0.8" })).toEqual({ faultRate: 0.8, latencyMs: 0 });
    expect(drillFromEnv({ [DRILL_ENV.latencyMs]: "6000" })).toEqual({ faultRate: 0, latencyMs: 6000 });
    expect(drillFromEnv({ [DRILL_ENV.faultRate]: "1", [DRILL_ENV.latencyMs]: "250" })).toEqual({
      faultRate: 1,
      latencyMs: 250,
    });
  });

  it.each([
    [{ [DRILL_ENV.faultRate]: "80%" }, /FRACTILE_DRILL_FAULT_RATE must be a number from 0 to 1; got "80%"/],
    [{ [DRILL_ENV.faultRate]: "1.5" }, /FRACTILE_DRILL_FAULT_RATE/],
    [{ [DRILL_ENV.faultRate]: "-0.1" }, /FRACTILE_DRILL_FAULT_RATE/],
    [{ [DRILL_ENV.latencyMs]: "2.5" }, /FRACTILE_DRILL_LATENCY_MS must be a whole number/],
    [{ [DRILL_ENV.latencyMs]: "600000" }, /FRACTILE_DRILL_LATENCY_MS/],
  ])("rejects %j", (env, message) => {
    expect(() => drillFromEnv(env)).toThrow(DrillSettingError);
    expect(() => drillFromEnv(env)).toThrow(message);
  });

  it("round-trips through the environment a deploy writes", () => {
    const drill = { faultRate: 0.25, latencyMs: 700 };
    expect(drillFromEnv(drillEnvironment(drill))).toEqual(drill);
    expect(drillEnvironment({ faultRate: 0.5, latencyMs: 0 })).toEqual({ [DRILL_ENV.faultRate]: "0.5" });
  });
});

describe("withDrill", () => {
  it("answers the configured share of tile requests with a 500 that says it is a drill", async () => {
    const get = drilled({ faultRate: 0.8, latencyMs: 0 });
    const results = [];
    for (let x = 0; x < 50; x++) results.push(await get(tile(x)));

    const failed = results.filter((r) => r.statusCode === 500);
    // The golden-ratio sequence puts exactly floor/ceil(0.8 * n) of n draws below 0.8.
    expect(failed.length).toBe(40);
    expect(results.filter((r) => r.statusCode === 200)).toHaveLength(10);
    expect(jsonBody(failed[0])).toEqual({ error: "drill_fault", detail: expect.stringContaining("rollback drill") });
    expect(failed[0].headers["cache-control"]).toBe("no-store");
    // Counted like any handled 500, which is what the 5xx-rate alarm reads.
    expect(captured.total("ServerErrors")).toBe(40);
    expect(captured.total("TileRequests")).toBe(50);
  });

  it("uses the injected random source, so a rate of 0.3 fails exactly the draws below 0.3", async () => {
    const draws = [0.1, 0.5, 0.29, 0.3, 0.99];
    const get = drilled({ faultRate: 0.3, latencyMs: 0 }, () => draws.shift()!);
    const statuses = [];
    for (let x = 0; x < 5; x++) statuses.push((await get(tile(x))).statusCode);
    expect(statuses).toEqual([500, 200, 500, 200, 200]);
  });

  it("adds the latency before every tile request, failed or not, and none elsewhere", async () => {
    const slept: number[] = [];
    const get = drilled({ faultRate: 0.5, latencyMs: 6000 }, goldenSequence(), slept);
    await get(tile(1));
    await get(tile(2));
    expect(slept).toEqual([6000, 6000]);
    expect((await get("/health")).statusCode).toBe(200);
    expect((await get("/meta")).statusCode).toBe(200);
    expect(slept).toHaveLength(2);
  });

  it("never drills /health, /meta or the pre-traffic hook's own requests", async () => {
    const get = drilled({ faultRate: 1, latencyMs: 0 });
    expect((await get("/health")).statusCode).toBe(200);
    expect((await get("/meta")).statusCode).toBe(200);
    const tiles = createTilesHandler({
      store: new FsTileStore(root),
      telemetry: captured.telemetry,
      render: () => new Uint8Array([7]),
    });
    const handler = withDrill(tiles, { faultRate: 1, latencyMs: 0 }, { telemetry: captured.telemetry });
    expect(((await handler(apiGatewayGet(tile(3)))) as HttpResult).statusCode).toBe(200);
    expect(((await handler(apiEvent("GET", tile(3)))) as HttpResult).statusCode).toBe(500);
  });

  it("is the handler itself when no drill is set", async () => {
    const tiles = createTilesHandler({ store: new FsTileStore(root), telemetry: captured.telemetry });
    expect(withDrill(tiles, undefined, { telemetry: captured.telemetry })).toBe(tiles);
  });
});
