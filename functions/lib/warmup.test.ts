import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { Logger } from "@aws-lambda-powertools/logger";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { tileKey } from "../../packages/cache/index";
import { FsTileStore } from "./fs-tile-store";
import { tileCount } from "./prefill";
import { lazyLambdaInvoker } from "./lambda-invoker";
import {
  MAX_FAN_OUT,
  isQualifiedAliasArn,
  isWarmupEvent,
  runWarmup,
  warmTargetFromEnv,
  type WarmupDeps,
} from "./warmup";

const ALIAS_ARN = "arn:aws:lambda:eu-west-1:123456789012:function:fractile-prod-tiles:live";
const lambdaMock = mockClient(LambdaClient);
const logger = new Logger({ serviceName: "warmup-test", logLevel: "SILENT" });

let root: string;
let renders: string[];
beforeEach(async () => {
  lambdaMock.reset();
  root = await mkdtemp(path.join(os.tmpdir(), "fractile-warmup-"));
  renders = [];
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

function deps(overrides: Partial<WarmupDeps> = {}): WarmupDeps {
  return {
    store: new FsTileStore(root),
    logger,
    renderVersion: "r-test",
    functionVersion: "7",
    // The warm-up's own logic is under test here; the real renderer is exercised in the handler tests.
    render: (spec) => {
      renders.push(`${spec.z}/${spec.x}/${spec.y}`);
      return new TextEncoder().encode(`${spec.palette}:${spec.z}/${spec.x}/${spec.y}`);
    },
    defaultPalette: "classic",
    lambda: lazyLambdaInvoker({ region: "eu-west-1" }),
    targetArn: ALIAS_ARN,
    holdMs: 0,
    ...overrides,
  };
}

function invokedPayloads() {
  return lambdaMock.commandCalls(InvokeCommand).map((call) => ({
    ...call.args[0].input,
    Payload: JSON.parse(new TextDecoder().decode(call.args[0].input.Payload as Uint8Array)),
  }));
}

describe("warm-up event", () => {
  it("is recognised only by its marker", () => {
    expect(isWarmupEvent({ fractile: "warmup" })).toBe(true);
    expect(isWarmupEvent({ version: "2.0", rawPath: "/health" })).toBe(false);
    expect(isWarmupEvent(null)).toBe(false);
  });

  it("fans out to the alias N times at once, with copies that do not fan out again", async () => {
    lambdaMock.on(InvokeCommand).resolves({ StatusCode: 200 });
    const result = await runWarmup({ fractile: "warmup", fanOut: 5 }, deps());
    expect(result).toMatchObject({ warmed: true, fannedOut: 5, functionVersion: "7", renderVersion: "r-test" });
    const calls = invokedPayloads();
    expect(calls).toHaveLength(5);
    for (const call of calls) {
      expect(call.FunctionName).toBe(ALIAS_ARN);
      expect(call.InvocationType).toBe("RequestResponse");
      expect(call.Payload).toEqual({ fractile: "warmup", fanOut: 0 });
    }
  });

  it("counts only the copies that answered", async () => {
    lambdaMock
      .on(InvokeCommand)
      .resolvesOnce({ StatusCode: 200 })
      .rejectsOnce(new Error("TooManyRequestsException"))
      .resolvesOnce({ StatusCode: 200, FunctionError: "Unhandled" })
      .resolves({ StatusCode: 200 });
    const result = await runWarmup({ fractile: "warmup", fanOut: 4 }, deps());
    expect(result.fannedOut).toBe(2);
  });

  it.each([
    ["$LATEST", "arn:aws:lambda:eu-west-1:123456789012:function:fractile-prod-tiles:$LATEST"],
    ["an unqualified ARN", "arn:aws:lambda:eu-west-1:123456789012:function:fractile-prod-tiles"],
    ["a bare name", "fractile-prod-tiles"],
  ])("refuses %s as WARM_TARGET_ARN at init, and never invokes it", async (_label, arn) => {
    lambdaMock.on(InvokeCommand).resolves({ StatusCode: 200 });
    expect(isQualifiedAliasArn(arn)).toBe(false);
    expect(() => warmTargetFromEnv(arn)).toThrow(/WARM_TARGET_ARN must be a Lambda ARN qualified with an alias/);
    const fanningOut = runWarmup({ fractile: "warmup", fanOut: 3 }, deps({ targetArn: arn }));
    await expect(fanningOut).rejects.toThrow(/qualified alias/);
    expect(lambdaMock.commandCalls(InvokeCommand)).toHaveLength(0);
  });

  it("takes an alias ARN from the environment as it is, and no fan-out when unset", () => {
    expect(warmTargetFromEnv(` ${ALIAS_ARN}\n`)).toBe(ALIAS_ARN);
    expect(warmTargetFromEnv(undefined)).toBeUndefined();
    expect(warmTargetFromEnv("  ")).toBeUndefined();
  });

  it("does not fan out without a target, and caps and sanitises fanOut", async () => {
    lambdaMock.on(InvokeCommand).resolves({ StatusCode: 200 });
    expect((await runWarmup({ fractile: "warmup", fanOut: 3 }, deps({ targetArn: undefined }))).fannedOut).toBe(0);
    expect(lambdaMock.commandCalls(InvokeCommand)).toHaveLength(0);

    expect((await runWarmup({ fractile: "warmup", fanOut: 10_000 }, deps())).fannedOut).toBe(MAX_FAN_OUT);
    lambdaMock.resetHistory();
    for (const fanOut of [-3, 2.5, "4", null]) {
      expect((await runWarmup({ fractile: "warmup", fanOut }, deps())).fannedOut).toBe(0);
    }
    expect(lambdaMock.commandCalls(InvokeCommand)).toHaveLength(0);
  });

  it("prefills z0–z3 of the default palette into the store, rendering only missing tiles", async () => {
    const store = new FsTileStore(root);
    await store.put(tileKey({ z: 1, x: 1n, y: 0n, scale: 1, palette: "classic" }, "r-test"), new Uint8Array([1]));

    const first = await runWarmup({ fractile: "warmup", fanOut: 0, prefillMaxZoom: 3 }, deps({ store }));
    expect(first.prefill).toEqual({ rendered: tileCount(0, 3) - 1, present: 1 });
    expect(renders).not.toContain("1/1/0");
    expect(await store.has(tileKey({ z: 3, x: 7n, y: 7n, scale: 1, palette: "classic" }, "r-test"))).toBe(true);

    renders = [];
    const second = await runWarmup({ fractile: "warmup", prefillMaxZoom: 3 }, deps({ store }));
    expect(second.prefill).toEqual({ rendered: 0, present: tileCount(0, 3) });
    expect(renders).toEqual([]);
  });
});
