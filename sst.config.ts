import { Aspects } from "aws-cdk-lib";
import { AwsSolutionsChecks } from "cdk-nag";
import type { SSTConfig } from "sst";
import { Fractile } from "./stacks/Fractile";

export default {
  config() {
    return { name: "fractile", region: process.env.AWS_REGION ?? "us-east-1" };
  },
  stacks(app) {
    // cdk-nag runs on every synth (deploy, CI, tests): an unsuppressed
    // AwsSolutions error fails the deploy instead of shipping quietly.
    Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
    app.stack(Fractile);
  },
} satisfies SSTConfig;
