/** The cdk-nag gate and the build check that sst.config.ts runs before the stacks. */
import { App, Stack } from "aws-cdk-lib";
import * as s3 from "aws-cdk-lib/aws-s3";
import { NagSuppressions } from "cdk-nag";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BUILD_INPUTS, NotBuiltError, assertBuilt } from "../build-inputs";
import { NagFindingError, addNagGate } from "../nag-gate";

function appWithBucket(suppress: boolean) {
  const app = new App();
  const stack = new Stack(app, "Gate");
  const bucket = new s3.Bucket(stack, "Plain", { blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL });
  if (suppress) {
    NagSuppressions.addResourceSuppressions(bucket, [
      { id: "AwsSolutions-S1", reason: "test: access logs are not the point of this test bucket at all" },
      { id: "AwsSolutions-S10", reason: "test: SSL enforcement is not the point of this test bucket at all" },
    ]);
  }
  addNagGate(app);
  return app;
}

describe("the cdk-nag gate", () => {
  it("fails the synth on an unsuppressed finding, naming the rule and the resource", () => {
    const app = appWithBucket(false);
    expect(() => app.synth()).toThrow(NagFindingError);
    expect(() => appWithBucket(false).synth()).toThrow(/Gate\/Plain\/Resource: AwsSolutions-S\d+/);
  });

  it("lets a synth with every finding suppressed through", () => {
    expect(() => appWithBucket(true).synth()).not.toThrow();
  });
});

describe("assertBuilt", () => {
  it("names every missing build output and the command that makes it", () => {
    expect(() => assertBuilt(() => false)).toThrow(NotBuiltError);
    expect(() => assertBuilt(() => false)).toThrow(
      /kernel-wasm\.js.*npm run build:wasm.*npm run build:web.*Run `npm run build` first/,
    );
    expect(() => assertBuilt((path) => path !== "web/dist/index.html")).toThrow(/^not built: web\/dist\/index\.html/);
  });

  it("passes in a built checkout (the stack tests run after npm run build)", () => {
    expect(() => assertBuilt()).not.toThrow();
  });

  it("lists the output of every wasm module scripts/build-wasm.mjs builds", () => {
    const modules = readdirSync("packages").filter((name) =>
      existsSync(join("packages", name, "assembly", `${name}.ts`)),
    );
    expect(modules.length).toBeGreaterThan(0);
    const listed: string[] = BUILD_INPUTS.map((i) => i.path);
    for (const name of modules) expect(listed).toContain(`packages/${name}/build/${name}-wasm.js`);
  });
});
