import { Function as SstFunction } from "sst/constructs";
import type { Construct } from "constructs";
import type { FunctionCode } from "../function-code";
import type { LiveFunction } from "./live-function";

/**
 * The CodeDeploy BeforeAllowTraffic hook for the tile function. It calls the
 * new *version* directly (its ARN, not the alias, which still points at the
 * old one) with golden tile requests and `/health`, and bundles the same
 * render core so it can compute the expected PNG hashes itself.
 *
 * Permissions: invoke on that one version ARN, granted here; the deployment
 * group adds `codedeploy:PutLifecycleEventHookExecutionStatus` on itself.
 * Nothing else.
 */
export function createPreTrafficHook(
  scope: Construct,
  id: string,
  target: LiveFunction,
  code: FunctionCode,
): SstFunction {
  const hook = new SstFunction(scope, id, {
    handler: code.handler,
    runtime: "nodejs22.x",
    architecture: "arm_64",
    memorySize: 1769,
    // Renders each golden tile once for the expected hash and waits for the
    // new version's cold start; well inside CodeDeploy's one-hour hook limit.
    timeout: 120,
    tracing: "disabled",
    environment: { TARGET_VERSION_ARN: target.version.functionArn },
    nodejs: code.nodejs,
  });
  target.version.grantInvoke(hook);
  return hook;
}
