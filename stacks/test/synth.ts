/**
 * Synthesizes the real `sst.config.ts` for one stage, offline: vitest sets
 * NODE_ENV=test, which makes SST skip its bootstrap look-ups, and the account
 * is a placeholder. Runs esbuild for every function like `sst deploy` would.
 */
import { Annotations, Template } from "aws-cdk-lib/assertions";
import type { Stack } from "aws-cdk-lib";
import { App, getStack } from "sst/constructs";
import { initProject } from "sst/project.js";
import config from "../../sst.config";
import { Fractile } from "../Fractile";

export interface SynthesizedStage {
  stage: string;
  stack: Stack;
  template: Template;
  annotations: Annotations;
  /** Directory of the cloud assembly (bundled function code lives under it or is referenced from it). */
  assemblyDir: string;
}

export async function synthesizeStage(stage: string): Promise<SynthesizedStage> {
  await initProject({ stage });
  const { name, region } = config.config();
  const app = new App({ mode: "deploy", stage, name, region, account: "123456789012" });
  await config.stacks(app);
  await app.finish();
  const stack = getStack(Fractile) as unknown as Stack;
  // Annotations.fromStack forces a synthesis; SST's unique-id aspect rejects
  // a second forced one, so it goes first and the others reuse its result.
  const annotations = Annotations.fromStack(stack);
  const template = Template.fromStack(stack);
  const assembly = app.synth();
  return { stage, stack, template, annotations, assemblyDir: assembly.directory };
}
