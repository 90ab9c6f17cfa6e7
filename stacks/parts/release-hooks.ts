import * as iam from "aws-cdk-lib/aws-iam";
import { Function as SstFunction } from "sst/constructs";
import type { Construct } from "constructs";
import type { FunctionCode } from "../function-code";
import { ONE_VCPU_MB } from "../../functions/lib/function-sizing";
import { LIVE_ALIAS, type ServiceRole } from "../naming";
import type { LiveFunction } from "./live-function";

export interface ReleaseHooks {
  /** BeforeAllowTraffic: checks the new version (see functions/lib/deploy/pre-traffic-checks.ts). */
  before: SstFunction;
  /** AfterAllowTraffic: hands over the render version, prunes old versions (functions/lib/deploy/run-hook.ts). */
  after: SstFunction;
}

/**
 * The CodeDeploy lifecycle hooks of one function's releases: one entry point
 * (`functions/release-hook.ts`) deployed twice, told apart by HOOK_PHASE.
 * Both carry the new version's ARN; the tile hooks bundle the same render core
 * as the tile function so they compute the expected golden hashes themselves.
 *
 * Permissions, each on this one function only (the deployment group adds
 * `codedeploy:PutLifecycleEventHookExecutionStatus` on itself):
 * - before: invoke the new version ARN; for tiles also read `live` and create
 *   or move the render version alias `rv-*`.
 * - after: list aliases and versions, move and delete `rv-*` aliases (tiles),
 *   delete versions. DeleteFunction is granted on qualified ARNs (`name:*`)
 *   only, so the hook can remove a version but never the function itself.
 */
export function createReleaseHooks(
  scope: Construct,
  id: string,
  target: LiveFunction,
  role: ServiceRole,
  code: FunctionCode,
): ReleaseHooks {
  const hook = (phase: "before-traffic" | "after-traffic", constructId: string) =>
    new SstFunction(scope, constructId, {
      handler: code.handler,
      runtime: "nodejs22.x",
      architecture: "arm_64",
      memorySize: ONE_VCPU_MB,
      // Renders each golden tile once for the expected hash and waits for the
      // new version's cold start; well inside CodeDeploy's one-hour hook limit.
      timeout: 120,
      tracing: "disabled",
      environment: { TARGET_VERSION_ARN: target.version.functionArn, HOOK_ROLE: role, HOOK_PHASE: phase },
      nodejs: code.nodejs,
    });
  const before = hook("before-traffic", `${id}BeforeTraffic`);
  const after = hook("after-traffic", `${id}AfterTraffic`);

  const fnArn = target.fn.functionArn;
  const renderVersionAliases = `${fnArn}:rv-*`;
  target.version.grantInvoke(before);
  if (role === "tiles") {
    before.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ["lambda:GetAlias", "lambda:CreateAlias", "lambda:UpdateAlias"],
        resources: [fnArn, `${fnArn}:${LIVE_ALIAS}`, renderVersionAliases],
      }),
    );
  }
  after.addToRolePolicy(
    new iam.PolicyStatement({ actions: ["lambda:ListAliases", "lambda:ListVersionsByFunction"], resources: [fnArn] }),
  );
  after.addToRolePolicy(new iam.PolicyStatement({ actions: ["lambda:DeleteFunction"], resources: [`${fnArn}:*`] }));
  if (role === "tiles") {
    after.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ["lambda:GetAlias", "lambda:CreateAlias", "lambda:UpdateAlias", "lambda:DeleteAlias"],
        resources: [fnArn, renderVersionAliases],
      }),
    );
  }
  return { before, after };
}
