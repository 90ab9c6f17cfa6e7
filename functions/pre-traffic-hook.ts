/**
 * CodeDeploy BeforeAllowTraffic hook for the tile function: checks the new
 * version (TARGET_VERSION_ARN, set by the stack) before any traffic moves.
 * The logic lives in `lib/deploy/run-hook.ts`.
 */
import { CodeDeployClient } from "@aws-sdk/client-codedeploy";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { Logger } from "@aws-lambda-powertools/logger";
import { codeDeployReporter, lambdaVersionInvoker } from "./lib/deploy/aws";
import type { LifecycleEvent } from "./lib/deploy/ports";
import { runPreTrafficHook } from "./lib/deploy/run-hook";

const targetVersionArn = process.env.TARGET_VERSION_ARN ?? "";
const log = new Logger({ serviceName: "fractile-pre-traffic-hook" });
const lambda = new LambdaClient({});
const codedeploy = new CodeDeployClient({});

export async function handler(event: LifecycleEvent) {
  return runPreTrafficHook(event, {
    targetVersionArn,
    invoker: lambdaVersionInvoker(lambda, targetVersionArn),
    reporter: codeDeployReporter(codedeploy),
    log,
  });
}
