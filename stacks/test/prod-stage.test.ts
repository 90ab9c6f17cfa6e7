/**
 * Stage `prod`: the invariants every stage has, plus the production release
 * schedule, retained data, and a smoke run of the bundles that would ship.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GOLDEN_TILES, RENDER_VERSION, renderTilePng } from "../../packages/render/index";
import { selfTestEvent } from "../../functions/lib/internal-events";
import { goldenTilePath } from "../../functions/lib/deploy/pre-traffic-checks";
import { apiGatewayGet } from "../../functions/lib/deploy/api-event";
import { assertStageInvariants } from "./stage-assertions";
import { type SynthesizedStage, synthesizeStage } from "./synth";
import { bundleDir, functionNamed, ofType } from "./template-queries";

let prod: SynthesizedStage;
const cacheDir = mkdtempSync(join(tmpdir(), "fractile-bundle-"));
beforeAll(async () => {
  prod = await synthesizeStage("prod");
});
afterAll(() => {
  rmSync(cacheDir, { recursive: true, force: true });
  rmSync(prod.assemblyDir, { recursive: true, force: true });
});

describe("stage prod", () => {
  assertStageInvariants(() => prod);

  it("shifts 10 % of traffic a minute", () => {
    const groups = ofType(prod.template, "AWS::CodeDeploy::DeploymentGroup").map(
      ([, g]) => g.Properties.DeploymentConfigName,
    );
    expect(groups).toEqual([
      "CodeDeployDefault.LambdaLinear10PercentEvery1Minute",
      "CodeDeployDefault.LambdaLinear10PercentEvery1Minute",
    ]);
  });
});

describe("the bundles that would ship to prod", () => {
  // Runs the bundled files themselves (not the sources) in a fresh Node
  // process with a Lambda-like environment: proves the ESM bundle, the
  // embedded wasm kernel and the copied canvas binary load and answer outside
  // the repository's node_modules.
  function invokeBundle(functionName: string, file: string, event: unknown, env: Record<string, string> = {}) {
    const [, fn] = functionNamed(prod.template, functionName);
    const entry = pathToFileURL(join(bundleDir(prod.assemblyDir, fn), "functions", file)).href;
    const script = `const { handler } = await import(${JSON.stringify(entry)});
      const result = await handler(JSON.parse(process.env.EVENT), process.env.CONTEXT ? JSON.parse(process.env.CONTEXT) : undefined);
      process.stdout.write("RESULT " + JSON.stringify(result));`;
    const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
      cwd: cacheDir,
      encoding: "utf8",
      env: {
        PATH: process.env.PATH,
        AWS_REGION: "us-east-1",
        AWS_LAMBDA_FUNCTION_VERSION: "3",
        POWERTOOLS_LOG_LEVEL: "SILENT",
        POWERTOOLS_METRICS_DISABLED: "true",
        EVENT: JSON.stringify(event),
        ...env,
      },
      maxBuffer: 64 * 1024 * 1024,
    });
    const line = run.stdout.split("RESULT ")[1];
    if (run.status !== 0 || !line) throw new Error(`bundle failed (${run.status}): ${run.stderr}`);
    return JSON.parse(line) as { statusCode: number; body?: string; isBase64Encoded?: boolean };
  }

  it("tile bundle answers /health with the render version of this checkout", () => {
    const result = invokeBundle("fractile-prod-tiles", "tiles.mjs", apiGatewayGet("/health"), {
      TILE_CACHE_DIR: cacheDir,
    });

    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body!)).toEqual(
      expect.objectContaining({ status: "ok", renderVersion: RENDER_VERSION, functionVersion: "3" }),
    );
  });

  it("tile bundle renders a golden tile for the hook's self-test, invoked as version 3, and writes no cache", () => {
    const spec = GOLDEN_TILES[0];
    const context = {
      invokedFunctionArn: "arn:aws:lambda:us-east-1:123456789012:function:fractile-prod-tiles:3",
      awsRequestId: "r",
    };
    const before = readdirSync(cacheDir);
    const result = invokeBundle("fractile-prod-tiles", "tiles.mjs", selfTestEvent(goldenTilePath(spec)), {
      TILE_CACHE_DIR: cacheDir,
      CONTEXT: JSON.stringify(context),
    });
    expect(result.statusCode).toBe(200);
    expect(Buffer.from(result.body!, "base64")).toEqual(Buffer.from(renderTilePng(spec)));
    expect(readdirSync(cacheDir)).toEqual(before);
  });

  it("image bundle renders a PNG with the canvas binary it carries", () => {
    const event = apiGatewayGet("/render.png?width=64&height=48");

    const result = invokeBundle("fractile-prod-image", "image.mjs", event);

    expect(result.statusCode).toBe(200);
    const png = Buffer.from(result.body!, "base64");
    expect(png.subarray(1, 4).toString("latin1")).toBe("PNG");
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([64, 48]);
  });
});
