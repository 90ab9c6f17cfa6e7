/**
 * The pre-traffic hook against the real tile handler: a "new version" is the
 * real `functions/tiles.ts` running in-process (as Lambda version 7), the
 * expected hashes come from the real render core, and AWS is mocked only at
 * the SDK edge.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CodeDeployClient, PutLifecycleEventHookExecutionStatusCommand } from "@aws-sdk/client-codedeploy";
import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { GOLDEN_TILES, RENDER_VERSION } from "../../../packages/render/index";
import { codeDeployReporter, lambdaVersionInvoker } from "./aws";
import { checkGoldenTiles, goldenTilePath, responseBytes, versionOfArn } from "./pre-traffic-checks";
import type { HookStatus, LifecycleEvent, LifecycleReporter, VersionInvoker } from "./ports";
import { runPreTrafficHook } from "./run-hook";

const VERSION_ARN = "arn:aws:lambda:us-east-1:123456789012:function:fractile-prod-tiles:7";
const EVENT: LifecycleEvent = { DeploymentId: "d-ABC123", LifecycleEventHookExecutionId: "hook-exec-1" };
const quietLog = { info: () => {}, error: () => {} };

type TilesHandler = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;
let tilesHandler: TilesHandler;
let cacheDir: string;

beforeAll(async () => {
  // The environment Lambda gives version 7 of the tile function, minus S3:
  // tiles are cached on local disk, in a directory of this test's own.
  cacheDir = mkdtempSync(join(tmpdir(), "fractile-hook-"));
  process.env.TILE_CACHE_DIR = cacheDir;
  process.env.AWS_LAMBDA_FUNCTION_VERSION = "7";
  delete process.env.TILE_BUCKET;
  delete process.env.WARM_TARGET_ARN;
  // Keep test output readable: no request logs, no EMF lines.
  process.env.POWERTOOLS_LOG_LEVEL = "SILENT";
  process.env.POWERTOOLS_METRICS_DISABLED = "true";
  tilesHandler = (await import("../../tiles")).handler as unknown as TilesHandler;
});

afterAll(() => {
  rmSync(cacheDir, { recursive: true, force: true });
  delete process.env.TILE_CACHE_DIR;
  delete process.env.AWS_LAMBDA_FUNCTION_VERSION;
});

/** The new version, called the way Lambda would call it. */
const realVersion = (): VersionInvoker & { paths: string[] } => {
  const paths: string[] = [];
  return {
    paths,
    async invoke(event) {
      paths.push(event.rawPath);
      // Through JSON, like a real Invoke payload.
      return JSON.parse(JSON.stringify(await tilesHandler(event)));
    },
  };
};

const recordingReporter = (): LifecycleReporter & { calls: [LifecycleEvent, HookStatus][] } => {
  const calls: [LifecycleEvent, HookStatus][] = [];
  return { calls, report: async (event, status) => void calls.push([event, status]) };
};

describe("runPreTrafficHook", () => {
  it("passes a version that serves the golden tiles and a matching /health, and reports Succeeded", async () => {
    const invoker = realVersion();
    const reporter = recordingReporter();

    const outcome = await runPreTrafficHook(EVENT, { targetVersionArn: VERSION_ARN, invoker, reporter, log: quietLog });

    expect(outcome).toEqual({ status: "Succeeded", problems: [] });
    expect(reporter.calls).toEqual([[EVENT, "Succeeded"]]);
    expect(GOLDEN_TILES.length).toBeGreaterThan(0);
    expect(invoker.paths).toEqual(["/health", ...GOLDEN_TILES.map((spec) => goldenTilePath(spec))]);
    expect(invoker.paths[1]).toMatch(new RegExp(`^/tiles/${RENDER_VERSION}/[a-z]+/\\d+/\\d+/\\d+(@2x)?\\.png$`));
  });

  it("fails a version whose tile bytes differ by one byte, naming the tile", async () => {
    const honest = realVersion();
    const corruptPath = goldenTilePath(GOLDEN_TILES[GOLDEN_TILES.length - 1]);
    const corrupting: VersionInvoker = {
      async invoke(event) {
        const result = await honest.invoke(event);
        if (event.rawPath !== corruptPath) return result;
        const bytes = Buffer.from(responseBytes(result));
        bytes[bytes.length - 1] ^= 0xff;
        return { ...result, body: bytes.toString("base64"), isBase64Encoded: true };
      },
    };
    const reporter = recordingReporter();

    const outcome = await runPreTrafficHook(EVENT, { targetVersionArn: VERSION_ARN, invoker: corrupting, reporter, log: quietLog });

    expect(outcome.status).toBe("Failed");
    expect(outcome.problems).toHaveLength(1);
    expect(outcome.problems[0]).toMatch(new RegExp(`^${corruptPath.replace(/[.@]/g, "\\$&")}: sha256 [0-9a-f]{64}, expected [0-9a-f]{64}$`));
    expect(reporter.calls).toEqual([[EVENT, "Failed"]]);
  });

  it("fails when /health reports another function version than the one under test", async () => {
    const reporter = recordingReporter();
    const otherVersion = VERSION_ARN.replace(/:7$/, ":8");

    const outcome = await runPreTrafficHook(EVENT, { targetVersionArn: otherVersion, invoker: realVersion(), reporter, log: quietLog });

    expect(outcome).toEqual({ status: "Failed", problems: ['/health: functionVersion "7", expected "8"'] });
    expect(reporter.calls).toEqual([[EVENT, "Failed"]]);
  });

  it("fails on tiles that are not served at all", async () => {
    const notFound: VersionInvoker = {
      invoke: async (event) =>
        event.rawPath === "/health"
          ? realVersion().invoke(event)
          : { statusCode: 404, body: '{"error":"unknown_render_version"}', headers: { "content-type": "application/json" } },
    };

    const outcome = await runPreTrafficHook(EVENT, { targetVersionArn: VERSION_ARN, invoker: notFound, reporter: recordingReporter(), log: quietLog });

    expect(outcome.status).toBe("Failed");
    expect(outcome.problems).toEqual(GOLDEN_TILES.map((spec) => `${goldenTilePath(spec)}: HTTP 404, expected 200`));
  });

  it("still reports Failed when invoking the version throws, so the deployment never hangs", async () => {
    const reporter = recordingReporter();
    const broken: VersionInvoker = {
      invoke: async () => {
        throw new Error("Rate exceeded");
      },
    };

    const outcome = await runPreTrafficHook(EVENT, { targetVersionArn: VERSION_ARN, invoker: broken, reporter, log: quietLog });

    expect(outcome).toEqual({ status: "Failed", problems: ["check crashed: Rate exceeded"] });
    expect(reporter.calls).toEqual([[EVENT, "Failed"]]);
  });

  it("reports Failed for a target that is not a published version (e.g. the alias or $LATEST)", async () => {
    for (const target of [VERSION_ARN.replace(/:7$/, ":live"), VERSION_ARN.replace(/:7$/, ":$LATEST"), ""]) {
      const reporter = recordingReporter();
      const outcome = await runPreTrafficHook(EVENT, { targetVersionArn: target, invoker: realVersion(), reporter, log: quietLog });
      expect(outcome.status).toBe("Failed");
      expect(outcome.problems[0]).toContain("not a published Lambda version ARN");
      expect(reporter.calls).toEqual([[EVENT, "Failed"]]);
    }
  });
});

describe("checkGoldenTiles", () => {
  it("holds this platform's render to the hashes pinned in golden.json", async () => {
    // Every golden tile is pinned for the current render version (else the
    // golden test fails), so an honest version passes against the real pins.
    expect(await checkGoldenTiles(realVersion())).toEqual([]);
  });

  it("fails when this platform's bytes differ from the pinned ones, even if the version agrees with the hook", async () => {
    const drifted = GOLDEN_TILES[0];
    const pins = (spec: typeof drifted) => (spec === drifted ? "0".repeat(64) : undefined);

    const problems = await checkGoldenTiles(realVersion(), GOLDEN_TILES, pins);

    expect(problems).toHaveLength(1);
    expect(problems[0].startsWith(`${goldenTilePath(drifted)}: this platform renders sha256 `)).toBe(true);
    expect(problems[0]).toMatch(new RegExp(`sha256 [0-9a-f]{64}, golden\\.json pins 0{64} for ${RENDER_VERSION}$`));
  });
});

describe("versionOfArn", () => {
  it("reads the version number of a qualified ARN", () => {
    expect(versionOfArn(VERSION_ARN)).toBe("7");
    expect(() => versionOfArn("arn:aws:lambda:us-east-1:123456789012:function:fractile-prod-tiles")).toThrow();
  });
});

describe("AWS adapters (SDK mocked at the edge)", () => {
  const lambda = mockClient(LambdaClient);
  const codedeploy = mockClient(CodeDeployClient);
  beforeEach(() => {
    lambda.reset();
    codedeploy.reset();
  });

  it("invokes the version ARN itself and decodes the API Gateway result", async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 200, Payload: Buffer.from(JSON.stringify({ statusCode: 204 })) as never });

    const result = await lambdaVersionInvoker(new LambdaClient({}), VERSION_ARN).invoke({ rawPath: "/health" } as APIGatewayProxyEventV2);

    expect(result).toEqual({ statusCode: 204 });
    const input = lambda.commandCalls(InvokeCommand)[0].args[0].input;
    expect(input.FunctionName).toBe(VERSION_ARN);
    expect(JSON.parse(Buffer.from(input.Payload as Uint8Array).toString("utf8"))).toEqual({ rawPath: "/health" });
  });

  it("turns a function error into an exception carrying the error payload", async () => {
    lambda.on(InvokeCommand).resolves({
      StatusCode: 200,
      FunctionError: "Unhandled",
      Payload: Buffer.from('{"errorMessage":"boom"}') as never,
    });

    await expect(lambdaVersionInvoker(new LambdaClient({}), VERSION_ARN).invoke({} as APIGatewayProxyEventV2)).rejects.toThrow(
      /fractile-prod-tiles:7 failed \(Unhandled\): \{"errorMessage":"boom"\}/,
    );
  });

  it("reports the verdict with the ids CodeDeploy sent", async () => {
    codedeploy.on(PutLifecycleEventHookExecutionStatusCommand).resolves({});

    await codeDeployReporter(new CodeDeployClient({})).report(EVENT, "Failed");

    expect(codedeploy.commandCalls(PutLifecycleEventHookExecutionStatusCommand)[0].args[0].input).toEqual({
      deploymentId: "d-ABC123",
      lifecycleEventHookExecutionId: "hook-exec-1",
      status: "Failed",
    });
  });

  it("runs the deployed entry point end to end: Lambda Invoke answered by the real tile handler", async () => {
    process.env.TARGET_VERSION_ARN = VERSION_ARN;
    lambda.on(InvokeCommand, { FunctionName: VERSION_ARN }).callsFake(async (input: { Payload: Uint8Array }) => {
      const event = JSON.parse(Buffer.from(input.Payload).toString("utf8"));
      return { StatusCode: 200, Payload: Buffer.from(JSON.stringify(await tilesHandler(event))) };
    });
    codedeploy.on(PutLifecycleEventHookExecutionStatusCommand).resolves({});

    const { handler } = await import("../../pre-traffic-hook");
    const outcome = await handler(EVENT);

    expect(outcome.status).toBe("Succeeded");
    expect(lambda.commandCalls(InvokeCommand)).toHaveLength(GOLDEN_TILES.length + 1);
    expect(codedeploy.commandCalls(PutLifecycleEventHookExecutionStatusCommand).map((c) => c.args[0].input.status)).toEqual(["Succeeded"]);
  });
});
