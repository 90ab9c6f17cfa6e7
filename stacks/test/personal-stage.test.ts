/**
 * A personal stage (`alice`): same invariants as prod, but releases go all at
 * once and the tile bucket is disposable.
 */
import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assertStageInvariants } from "./stage-assertions";
import { type SynthesizedStage, synthesizeStage } from "./synth";
import { ofType } from "./template-queries";

let alice: SynthesizedStage;
beforeAll(async () => {
  alice = await synthesizeStage("alice");
});
// The assembly holds every bundle (the canvas binary alone is 35 MB).
afterAll(() => rmSync(alice.assemblyDir, { recursive: true, force: true }));

describe("stage alice (personal)", () => {
  assertStageInvariants(() => alice);

  it("switches all traffic at once", () => {
    const groups = ofType(alice.template, "AWS::CodeDeploy::DeploymentGroup").map(
      ([, g]) => g.Properties.DeploymentConfigName,
    );
    expect(groups).toEqual(["CodeDeployDefault.LambdaAllAtOnce", "CodeDeployDefault.LambdaAllAtOnce"]);
  });
});
