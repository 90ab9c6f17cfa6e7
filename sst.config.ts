import type { SSTConfig } from "sst";
import { assertBuilt } from "./stacks/build-inputs";
import { Fractile } from "./stacks/Fractile";
import { addNagGate } from "./stacks/nag-gate";

export default {
  config() {
    return { name: "fractile", region: process.env.AWS_REGION ?? "us-east-1" };
  },
  stacks(app) {
    // Before any construct: an unbuilt checkout fails here, naming the command.
    assertBuilt();
    // cdk-nag runs on every synth (deploy, CI, tests), and an unsuppressed
    // AwsSolutions error or warning fails it (stacks/nag-gate.ts).
    addNagGate(app);
    app.stack(Fractile);
  },
} satisfies SSTConfig;
