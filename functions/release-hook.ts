/**
 * CodeDeploy lifecycle hook of one function's releases. The stack deploys this
 * entry four times, told apart by the environment:
 * - HOOK_ROLE `tiles` | `image`: which function's new version it looks after;
 * - HOOK_PHASE `before-traffic` (BeforeAllowTraffic: checks the new version,
 *   TARGET_VERSION_ARN, before any traffic moves) | `after-traffic`
 *   (AfterAllowTraffic: render version hand-over and pruning).
 * The logic lives in `lib/deploy/run-hook.ts`.
 */
import { CodeDeployClient } from "@aws-sdk/client-codedeploy";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { Logger } from "@aws-lambda-powertools/logger";
import { SERVICE_ROLES, type ServiceRole } from "../stacks/naming";
import { codeDeployReporter, functionNameOfArn, lambdaFunctionAdmin, lambdaVersionInvoker } from "./lib/deploy/aws";
import type { LifecycleEvent } from "./lib/deploy/ports";
import { runPostTrafficHook, runPreTrafficHook, type HookDeps } from "./lib/deploy/run-hook";

const targetVersionArn = process.env.TARGET_VERSION_ARN ?? "";
const role = (SERVICE_ROLES as readonly string[]).includes(process.env.HOOK_ROLE ?? "")
  ? (process.env.HOOK_ROLE as ServiceRole)
  : "tiles";
const phase = process.env.HOOK_PHASE === "after-traffic" ? "after-traffic" : "before-traffic";
const log = new Logger({ serviceName: `fractile-${role}-${phase}-hook` });
const lambda = new LambdaClient({});
const codedeploy = new CodeDeployClient({});

export async function handler(event: LifecycleEvent) {
  let functionName = "";
  try {
    functionName = functionNameOfArn(targetVersionArn);
  } catch {
    // runPre/PostTrafficHook report the bad ARN as a problem (and Failed before traffic).
  }
  const deps: HookDeps = {
    role,
    targetVersionArn,
    invoker: lambdaVersionInvoker(lambda, targetVersionArn),
    reporter: codeDeployReporter(codedeploy),
    admin: functionName ? lambdaFunctionAdmin(lambda, functionName) : undefined,
    log,
  };
  return phase === "after-traffic" ? runPostTrafficHook(event, deps) : runPreTrafficHook(event, deps);
}
