/**
 * The rollback drill switch (docs/operations.md, "Rollback drill"): refused for prod at synth time,
 * and on the tile function (so on the version the deploy publishes) when set
 * for staging. One synthesis of staging, with the drill variables set.
 */
import { rmSync } from "node:fs";
import { App, Stack } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import * as lambda from "aws-cdk-lib/aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DRILL_ENV } from "../../functions/lib/drill";
import { applyDrill } from "../parts/drill";
import type { LiveFunction } from "../parts/live-function";
import { type SynthesizedStage, synthesizeStage } from "./synth";
import { aliasOf, functionNamed, ofType } from "./template-queries";

function withDrillEnv<T>(vars: Record<string, string>, run: () => Promise<T>): Promise<T> {
  Object.assign(process.env, vars);
  return run().finally(() => {
    for (const name of Object.keys(vars)) delete process.env[name];
  });
}

describe("stage prod", () => {
  it("refuses a drill: the synth fails with a message naming the variables and the way out", async () => {
    const attempt = withDrillEnv({ [DRILL_ENV.faultRate]: "0.8" }, () => synthesizeStage("prod"));
    await expect(attempt).rejects.toThrow(/FRACTILE_DRILL_FAULT_RATE.*set, but stage "prod" refuses rollback drills/);
    await expect(withDrillEnv({ [DRILL_ENV.latencyMs]: "6000" }, () => synthesizeStage("prod"))).rejects.toThrow(
      /--stage staging/,
    );
  });
});

describe("stage staging with FRACTILE_DRILL_FAULT_RATE=0.8 and FRACTILE_DRILL_LATENCY_MS=250", () => {
  let staging: SynthesizedStage;
  beforeAll(async () => {
    staging = await withDrillEnv({ [DRILL_ENV.faultRate]: "0.8", [DRILL_ENV.latencyMs]: "250" }, () =>
      synthesizeStage("staging"),
    );
  });
  afterAll(() => rmSync(staging.assemblyDir, { recursive: true, force: true }));

  it("puts the drill into the tile function's configuration, which the alias's new version snapshots", () => {
    const [tilesId, tiles] = functionNamed(staging.template, "fractile-staging-tiles");
    expect(tiles.Properties.Environment.Variables).toMatchObject({
      [DRILL_ENV.faultRate]: "0.8",
      [DRILL_ENV.latencyMs]: "250",
    });
    const [, alias] = aliasOf(staging.template, tilesId);
    const [versionId] = alias.Properties.FunctionVersion["Fn::GetAtt"];
    expect(staging.template.toJSON().Resources[versionId].Properties.FunctionName).toEqual({ Ref: tilesId });
  });

  it("leaves the image function and the hook alone", () => {
    const drilled = ofType(staging.template, "AWS::Lambda::Function")
      .filter(([, fn]) =>
        Object.keys(fn.Properties.Environment?.Variables ?? {}).some((name) => name.startsWith("FRACTILE_DRILL")),
      )
      .map(([, fn]) => fn.Properties.FunctionName);
    expect(drilled).toEqual(["fractile-staging-tiles"]);
  });
});

describe("applyDrill", () => {
  // Lambda versions are immutable snapshots of code and configuration; CDK
  // names `currentVersion` by a hash of both. A drilled deploy therefore
  // publishes a new version with the drill, and the one before keeps its own.
  function versionIdOf(drill: { faultRate: number; latencyMs: number } | undefined): string {
    const stack = new Stack(new App(), "S");
    const fn = new lambda.Function(stack, "Tiles", {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: "index.handler",
      code: lambda.Code.fromInline("exports.handler = async () => ({})"),
    });
    const version = fn.currentVersion;
    applyDrill({ fn } as unknown as LiveFunction, drill);
    const versions = ofType(Template.fromStack(stack), "AWS::Lambda::Version");
    expect(versions).toHaveLength(1);
    expect(version.node.id).toBe("CurrentVersion");
    return versions[0][0];
  }

  it("makes the deploy publish a new version, and removing the drill returns to the undrilled one", () => {
    const plain = versionIdOf(undefined);
    const drilled = versionIdOf({ faultRate: 0.8, latencyMs: 0 });
    expect(drilled).not.toBe(plain);
    expect(versionIdOf({ faultRate: 0.8, latencyMs: 0 })).toBe(drilled);
    expect(versionIdOf(undefined)).toBe(plain);
  });
});
