/**
 * The release hooks against the real handlers: a "new version" is the real
 * `functions/tiles.ts` (or `functions/image.ts`) running in-process as Lambda
 * version 7, the expected hashes come from the real render core, and AWS is
 * mocked only at the SDK edge.
 */
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CodeDeployClient, PutLifecycleEventHookExecutionStatusCommand } from "@aws-sdk/client-codedeploy";
import {
  CreateAliasCommand,
  DeleteAliasCommand,
  DeleteFunctionCommand,
  GetAliasCommand,
  InvokeCommand,
  LambdaClient,
  ListAliasesCommand,
  ListVersionsByFunctionCommand,
  UpdateAliasCommand,
} from "@aws-sdk/client-lambda";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { tileKey } from "../../../packages/cache/index";
import { GOLDEN_TILES, RENDER_VERSION, renderTilePng } from "../../../packages/render/index";
import { capturedTelemetry } from "../../../test/handler-harness";
import { FsTileStore } from "../fs-tile-store";
import type { HttpResult } from "../http";
import { createTilesHandler } from "../tiles-handler";
import { codeDeployReporter, lambdaFunctionAdmin, lambdaVersionInvoker } from "./aws";
import {
  HOOK_IMAGE,
  checkGoldenTiles,
  checkImage,
  goldenTilePath,
  responseBytes,
  versionOfArn,
} from "./pre-traffic-checks";
import type {
  AliasInfo,
  FunctionAdmin,
  HookRequest,
  HookStatus,
  LifecycleEvent,
  LifecycleReporter,
  VersionInvoker,
} from "./ports";
import { planPrune } from "./prune";
import { type HookDeps, runPostTrafficHook, runPreTrafficHook } from "./run-hook";

const VERSION_ARN = "arn:aws:lambda:us-east-1:123456789012:function:fractile-prod-tiles:7";
const EVENT: LifecycleEvent = { DeploymentId: "d-ABC123", LifecycleEventHookExecutionId: "hook-exec-1" };
const RV_ALIAS = `rv-${RENDER_VERSION}`;
const quietLog = { info: () => {}, error: () => {} };

type Handler = (event: unknown, context?: Context) => Promise<APIGatewayProxyStructuredResultV2>;
let tilesHandler: Handler;
let imageHandler: Handler;
let cacheDir: string;

beforeAll(async () => {
  // The environment Lambda gives version 7 of the tile function, minus S3:
  // tiles are cached on local disk, in a directory of this test's own.
  cacheDir = mkdtempSync(join(tmpdir(), "fractile-hook-"));
  process.env.TILE_CACHE_DIR = cacheDir;
  process.env.AWS_LAMBDA_FUNCTION_VERSION = "7";
  delete process.env.TILE_BUCKET;
  delete process.env.WARM_TARGET_ARN;
  delete process.env.AWS_LAMBDA_FUNCTION_NAME;
  // Keep test output readable: no request logs, no EMF lines.
  process.env.POWERTOOLS_LOG_LEVEL = "SILENT";
  process.env.POWERTOOLS_METRICS_DISABLED = "true";
  tilesHandler = (await import("../../tiles")).handler as unknown as Handler;
  imageHandler = (await import("../../image")).handler as unknown as Handler;
});
afterAll(() => {
  rmSync(cacheDir, { recursive: true, force: true });
  delete process.env.TILE_CACHE_DIR;
  delete process.env.AWS_LAMBDA_FUNCTION_VERSION;
});

const pathOf = (event: HookRequest) => ("rawPath" in event ? event.rawPath : event.path);
/** Lambda's context for a direct invocation of the version ARN. */
const asVersion = { invokedFunctionArn: VERSION_ARN, awsRequestId: "req" } as Context;

/** The new version, called the way Lambda would call it (by version ARN, through JSON). */
const realVersion = (handler: () => Handler = () => tilesHandler): VersionInvoker & { paths: string[] } => {
  const paths: string[] = [];
  return {
    paths,
    async invoke(event) {
      paths.push(pathOf(event));
      return JSON.parse(JSON.stringify(await handler()(event, asVersion)));
    },
  };
};

const recordingReporter = (): LifecycleReporter & { calls: [LifecycleEvent, HookStatus][] } => {
  const calls: [LifecycleEvent, HookStatus][] = [];
  return { calls, report: async (event, status) => void calls.push([event, status]) };
};

/** An in-memory function: aliases and published versions. */
function fakeFunction(
  aliases: Record<string, string>,
  versions: string[],
): FunctionAdmin & { aliases: Record<string, string>; versions: string[] } {
  const state = { aliases: { ...aliases }, versions: [...versions] };
  return {
    ...state,
    get aliases() {
      return state.aliases;
    },
    get versions() {
      return state.versions;
    },
    aliasVersion: async (name) => state.aliases[name],
    putAlias: async (name, version) => void (state.aliases[name] = version),
    listAliases: async () =>
      Object.entries(state.aliases).map(([name, version]) => ({ name, version, additionalVersions: [] })),
    listVersions: async () => [...state.versions],
    deleteAlias: async (name) => void delete state.aliases[name],
    deleteVersion: async (version) => void (state.versions = state.versions.filter((v) => v !== version)),
  };
}

const deps = (overrides: Partial<HookDeps> = {}): HookDeps => ({
  role: "tiles",
  targetVersionArn: VERSION_ARN,
  invoker: realVersion(),
  reporter: recordingReporter(),
  log: quietLog,
  ...overrides,
});

describe("before traffic, tile function", () => {
  it("passes a version that renders the golden tiles itself and a matching /health, and reports Succeeded", async () => {
    const invoker = realVersion();
    const reporter = recordingReporter();
    const outcome = await runPreTrafficHook(EVENT, deps({ invoker, reporter }));
    expect(outcome).toMatchObject({ status: "Succeeded", problems: [] });
    expect(reporter.calls).toEqual([[EVENT, "Succeeded"]]);
    expect(GOLDEN_TILES.length).toBeGreaterThan(0);
    expect(invoker.paths).toEqual(["/health", ...GOLDEN_TILES.map((spec) => goldenTilePath(spec))]);
    expect(invoker.paths[1]).toMatch(new RegExp(`^/tiles/${RENDER_VERSION}/[a-z]+/\\d+/\\d+/\\d+(@2x)?\\.png$`));
  });

  it("leaves the tile cache untouched, whether the release passes or fails", async () => {
    await runPreTrafficHook(EVENT, deps());
    expect(readdirSync(cacheDir)).toEqual([]);
    const broken: VersionInvoker = {
      invoke: async (event) => ("path" in event ? { statusCode: 500, body: "" } : realVersion().invoke(event)),
    };
    expect((await runPreTrafficHook(EVENT, deps({ invoker: broken }))).status).toBe("Failed");
    expect(readdirSync(cacheDir)).toEqual([]);
  });

  it("fails a version that renders wrong bytes even when the right bytes are already cached", async () => {
    // Before self-tests, the hook read golden tiles through the cache and so
    // passed any version once the golden tiles had been prefilled.
    const root = mkdtempSync(join(tmpdir(), "fractile-hook-prefilled-"));
    try {
      const store = new FsTileStore(root);
      for (const spec of GOLDEN_TILES) await store.put(tileKey(spec, RENDER_VERSION), renderTilePng(spec));
      const brokenVersion = createTilesHandler({
        store,
        telemetry: capturedTelemetry("7").telemetry,
        functionVersion: "7",
        render: (spec) => renderTilePng({ ...spec, palette: spec.palette === "classic" ? "magma" : "classic" }),
      });
      const invoker = realVersion(() => brokenVersion as unknown as Handler);
      const outcome = await runPreTrafficHook(EVENT, deps({ invoker }));
      expect(outcome.status).toBe("Failed");
      expect(outcome.problems).toHaveLength(GOLDEN_TILES.length);
      expect(outcome.problems[0]).toMatch(/: sha256 [0-9a-f]{64}, expected [0-9a-f]{64}$/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("fails a version whose tile bytes differ by one byte, naming the tile", async () => {
    const honest = realVersion();
    const corruptPath = goldenTilePath(GOLDEN_TILES[GOLDEN_TILES.length - 1]);
    const corrupting: VersionInvoker = {
      async invoke(event) {
        const result = await honest.invoke(event);
        if (pathOf(event) !== corruptPath) return result;
        const bytes = Buffer.from(responseBytes(result));
        bytes[bytes.length - 1] ^= 0xff;
        return { ...result, body: bytes.toString("base64"), isBase64Encoded: true };
      },
    };
    const reporter = recordingReporter();
    const outcome = await runPreTrafficHook(EVENT, deps({ invoker: corrupting, reporter }));
    expect(outcome.status).toBe("Failed");
    expect(outcome.problems).toHaveLength(1);
    expect(outcome.problems[0]).toMatch(
      new RegExp(`^${corruptPath.replace(/[.@]/g, "\\$&")}: sha256 [0-9a-f]{64}, expected [0-9a-f]{64}$`),
    );
    expect(reporter.calls).toEqual([[EVENT, "Failed"]]);
  });

  it("fails when /health reports another function version than the one under test", async () => {
    const otherVersion = VERSION_ARN.replace(/:7$/, ":8");
    const outcome = await runPreTrafficHook(EVENT, deps({ targetVersionArn: otherVersion }));
    expect(outcome).toMatchObject({ status: "Failed", problems: ['/health: functionVersion "7", expected "8"'] });
  });

  it("still reports Failed when invoking the version throws, so the deployment never hangs", async () => {
    const reporter = recordingReporter();
    const broken: VersionInvoker = {
      invoke: async () => {
        throw new Error("Rate exceeded");
      },
    };
    const outcome = await runPreTrafficHook(EVENT, deps({ invoker: broken, reporter }));
    expect(outcome).toMatchObject({ status: "Failed", problems: ["check crashed: Rate exceeded"] });
    expect(reporter.calls).toEqual([[EVENT, "Failed"]]);
  });

  it("reports Failed for a target that is not a published version (e.g. the alias or $LATEST)", async () => {
    for (const target of [VERSION_ARN.replace(/:7$/, ":live"), VERSION_ARN.replace(/:7$/, ":$LATEST"), ""]) {
      const reporter = recordingReporter();
      const outcome = await runPreTrafficHook(EVENT, deps({ targetVersionArn: target, reporter }));
      expect(outcome.status).toBe("Failed");
      expect(outcome.problems[0]).toContain("not a published Lambda version ARN");
      expect(reporter.calls).toEqual([[EVENT, "Failed"]]);
    }
  });
});

describe("render version ownership (alias rv-{renderVersion})", () => {
  it("gives a new render version to the new version once its checks pass", async () => {
    const fn = fakeFunction({ live: "6", "rv-r0-old": "6" }, ["5", "6", "7"]);
    const outcome = await runPreTrafficHook(EVENT, deps({ admin: fn }));
    expect(outcome.status).toBe("Succeeded");
    expect(fn.aliases).toEqual({ live: "6", "rv-r0-old": "6", [RV_ALIAS]: "7" });
  });

  it("leaves an unchanged render version with the version live serves until the release succeeds", async () => {
    const fn = fakeFunction({ live: "6", [RV_ALIAS]: "6" }, ["6", "7"]);
    await runPreTrafficHook(EVENT, deps({ admin: fn }));
    expect(fn.aliases[RV_ALIAS]).toBe("6");
    await runPostTrafficHook(EVENT, deps({ admin: fn }));
    expect(fn.aliases[RV_ALIAS]).toBe("7");
  });

  it("takes a render version back from a version that is not live (a failed earlier release of it)", async () => {
    const fn = fakeFunction({ live: "5", [RV_ALIAS]: "6" }, ["5", "6", "7"]);
    await runPreTrafficHook(EVENT, deps({ admin: fn }));
    expect(fn.aliases[RV_ALIAS]).toBe("7");
  });

  it("changes nothing when the checks fail", async () => {
    const fn = fakeFunction({ live: "6" }, ["6", "7"]);
    const outcome = await runPreTrafficHook(
      EVENT,
      deps({ admin: fn, targetVersionArn: VERSION_ARN.replace(/:7$/, ":8") }),
    );
    expect(outcome.status).toBe("Failed");
    expect(fn.aliases).toEqual({ live: "6" });
  });
});

describe("after traffic", () => {
  it("hands the render version to the released version and prunes old versions, keeping every aliased one", async () => {
    const versions = Array.from({ length: 14 }, (_, i) => String(i + 1));
    const fn = fakeFunction({ live: "14", "rv-a": "2", "rv-b": "9", "rv-c": "11", [RV_ALIAS]: "12" }, versions);
    const outcome = await runPostTrafficHook(
      EVENT,
      deps({ admin: fn, targetVersionArn: VERSION_ARN.replace(/:7$/, ":14") }),
    );
    expect(outcome.status).toBe("Succeeded");
    expect(fn.aliases).toEqual({ live: "14", "rv-b": "9", "rv-c": "11", [RV_ALIAS]: "14" });
    // Newest 10 are 5..14; 9 and 11 are owned anyway; 1-4 go (2 lost its alias, the oldest render version).
    expect(fn.versions).toEqual(["5", "6", "7", "8", "9", "10", "11", "12", "13", "14"]);
  });

  it("prunes the image function too, without render version aliases", async () => {
    const fn = fakeFunction({ live: "3" }, ["1", "2", "3"]);
    const outcome = await runPostTrafficHook(
      EVENT,
      deps({ role: "image", admin: fn, prunePolicy: { keepNewestVersions: 2, keepRenderVersions: 3 } }),
    );
    expect(outcome.actions.join()).toContain("pruned versions [1]");
    expect(fn.aliases).toEqual({ live: "3" });
    expect(fn.versions).toEqual(["2", "3"]);
  });

  it("reports Succeeded when housekeeping fails: a healthy release is never rolled back for it", async () => {
    const fn = fakeFunction({ live: "7" }, ["7"]);
    fn.listVersions = async () => {
      throw new Error("AccessDenied");
    };
    const reporter = recordingReporter();
    const outcome = await runPostTrafficHook(EVENT, deps({ admin: fn, reporter }));
    expect(outcome).toMatchObject({ status: "Succeeded", problems: ["housekeeping failed: AccessDenied"] });
    expect(reporter.calls).toEqual([[EVENT, "Succeeded"]]);
  });
});

describe("planPrune", () => {
  const alias = (name: string, version: string, additionalVersions: string[] = []): AliasInfo => ({
    name,
    version,
    additionalVersions,
  });
  it("keeps the newest N and everything an alias routes to, including a shifting alias's extra version", () => {
    const plan = planPrune([alias("live", "3", ["1"])], ["1", "2", "3", "4", "5"], {
      keepNewestVersions: 2,
      keepRenderVersions: 1,
    });
    expect(plan).toEqual({ aliases: [], versions: ["2"] });
  });
  it("retires the oldest render version owners beyond the policy, never a protected one", () => {
    const aliases = [alias("rv-x", "1"), alias("rv-y", "2"), alias("rv-z", "3"), alias("live", "3")];
    expect(planPrune(aliases, ["1", "2", "3"], { keepNewestVersions: 1, keepRenderVersions: 1 })).toEqual({
      aliases: ["rv-y", "rv-x"],
      versions: ["2", "1"],
    });
    expect(
      planPrune(aliases, ["1", "2", "3"], { keepNewestVersions: 1, keepRenderVersions: 1 }, ["rv-x"]).aliases,
    ).toEqual(["rv-y"]);
  });
});

describe("before traffic, image function", () => {
  it("passes a version that renders a small PNG of the asked size", async () => {
    const invoker = realVersion(() => imageHandler);
    const outcome = await runPreTrafficHook(EVENT, deps({ role: "image", invoker }));
    expect(outcome).toMatchObject({ status: "Succeeded", problems: [] });
    expect(invoker.paths).toEqual(["/render.png"]);
  });

  it("fails on a wrong size, a non-PNG body or an error status", async () => {
    const answering = (result: APIGatewayProxyStructuredResultV2): VersionInvoker => ({ invoke: async () => result });
    const png = async (width: number) => {
      const event = {
        ...(await import("./api-event")).apiGatewayGet("/render.png"),
        queryStringParameters: { width: String(width), height: String(HOOK_IMAGE.height) },
      };
      return (await imageHandler(event)) as HttpResult;
    };
    expect(await checkImage(answering(await png(65)))).toEqual([
      `/render.png?width=64&height=48: a 65x48 PNG, expected 64x48`,
    ]);
    expect(
      await checkImage(answering({ statusCode: 200, headers: { "content-type": "image/png" }, body: "hello" })),
    ).toEqual(["/render.png?width=64&height=48: the body is not a PNG"]);
    expect(await checkImage(answering({ statusCode: 500, body: "" }))).toEqual([
      "/render.png?width=64&height=48: HTTP 500, expected 200",
    ]);
  });
});

describe("checkGoldenTiles", () => {
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
  const notFound = () => Object.assign(new Error("not found"), { name: "ResourceNotFoundException" });

  it("invokes the version ARN itself and decodes the API Gateway result", async () => {
    lambda
      .on(InvokeCommand)
      .resolves({ StatusCode: 200, Payload: Buffer.from(JSON.stringify({ statusCode: 204 })) as never });
    const result = await lambdaVersionInvoker(new LambdaClient({}), VERSION_ARN).invoke({
      rawPath: "/health",
    } as APIGatewayProxyEventV2);
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
    await expect(
      lambdaVersionInvoker(new LambdaClient({}), VERSION_ARN).invoke({} as APIGatewayProxyEventV2),
    ).rejects.toThrow(/fractile-prod-tiles:7 failed \(Unhandled\): \{"errorMessage":"boom"\}/);
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

  it("lists every page of aliases and versions, and deletes versions only by qualifier", async () => {
    lambda
      .on(ListAliasesCommand, { Marker: undefined })
      .resolves({
        Aliases: [{ Name: "live", FunctionVersion: "3", RoutingConfig: { AdditionalVersionWeights: { "4": 0.1 } } }],
        NextMarker: "m2",
      })
      .on(ListAliasesCommand, { Marker: "m2" })
      .resolves({ Aliases: [{ Name: "rv-a", FunctionVersion: "2" }] });
    lambda
      .on(ListVersionsByFunctionCommand, { Marker: undefined })
      .resolves({ Versions: [{ Version: "$LATEST" }, { Version: "1" }], NextMarker: "v2" })
      .on(ListVersionsByFunctionCommand, { Marker: "v2" })
      .resolves({ Versions: [{ Version: "2" }, { Version: "3" }] });
    lambda.on(DeleteFunctionCommand).resolves({});
    const admin = lambdaFunctionAdmin(new LambdaClient({}), "fractile-prod-tiles");
    expect(await admin.listAliases()).toEqual([
      { name: "live", version: "3", additionalVersions: ["4"] },
      { name: "rv-a", version: "2", additionalVersions: [] },
    ]);
    expect(await admin.listVersions()).toEqual(["1", "2", "3"]);
    await admin.deleteVersion("1");
    expect(lambda.commandCalls(DeleteFunctionCommand)[0].args[0].input).toEqual({
      FunctionName: "fractile-prod-tiles",
      Qualifier: "1",
    });
    await expect(admin.deleteVersion("$LATEST")).rejects.toThrow(/not a published version/);
    await expect(admin.deleteVersion("")).rejects.toThrow(/not a published version/);
    expect(lambda.commandCalls(DeleteFunctionCommand)).toHaveLength(1);
  });

  it("creates an alias that does not exist yet and moves one that does", async () => {
    lambda
      .on(UpdateAliasCommand, { Name: "rv-new" })
      .rejects(notFound())
      .on(UpdateAliasCommand, { Name: "rv-old" })
      .resolves({});
    lambda.on(CreateAliasCommand).resolves({});
    lambda
      .on(GetAliasCommand, { Name: "rv-old" })
      .resolves({ FunctionVersion: "4" })
      .on(GetAliasCommand, { Name: "rv-new" })
      .rejects(notFound());
    lambda.on(DeleteAliasCommand).resolves({});
    const admin = lambdaFunctionAdmin(new LambdaClient({}), "fractile-prod-tiles");
    expect(await admin.aliasVersion("rv-old")).toBe("4");
    expect(await admin.aliasVersion("rv-new")).toBeUndefined();
    await admin.putAlias("rv-new", "7");
    await admin.putAlias("rv-old", "7");
    expect(lambda.commandCalls(CreateAliasCommand).map((c) => c.args[0].input)).toEqual([
      { FunctionName: "fractile-prod-tiles", Name: "rv-new", FunctionVersion: "7" },
    ]);
    expect(lambda.commandCalls(UpdateAliasCommand)).toHaveLength(2);
  });

  it("runs the deployed entry point end to end: checks through Lambda Invoke, then claims the render version", async () => {
    Object.assign(process.env, { TARGET_VERSION_ARN: VERSION_ARN, HOOK_ROLE: "tiles", HOOK_PHASE: "before-traffic" });
    lambda.on(InvokeCommand, { FunctionName: VERSION_ARN }).callsFake(async (input: { Payload: Uint8Array }) => {
      const event = JSON.parse(Buffer.from(input.Payload).toString("utf8"));
      return { StatusCode: 200, Payload: Buffer.from(JSON.stringify(await tilesHandler(event, asVersion))) };
    });
    lambda
      .on(GetAliasCommand, { Name: "live" })
      .resolves({ FunctionVersion: "6" })
      .on(GetAliasCommand, { Name: RV_ALIAS })
      .rejects(notFound());
    lambda.on(UpdateAliasCommand).rejects(notFound());
    lambda.on(CreateAliasCommand).resolves({});
    codedeploy.on(PutLifecycleEventHookExecutionStatusCommand).resolves({});
    const { handler } = await import("../../release-hook");
    const outcome = await handler(EVENT);
    expect(outcome.status).toBe("Succeeded");
    expect(lambda.commandCalls(InvokeCommand)).toHaveLength(GOLDEN_TILES.length + 1);
    expect(lambda.commandCalls(CreateAliasCommand)[0].args[0].input).toEqual({
      FunctionName: "fractile-prod-tiles",
      Name: RV_ALIAS,
      FunctionVersion: "7",
    });
    expect(
      codedeploy.commandCalls(PutLifecycleEventHookExecutionStatusCommand).map((c) => c.args[0].input.status),
    ).toEqual(["Succeeded"]);
    expect(readdirSync(cacheDir)).toEqual([]);
  });
});
