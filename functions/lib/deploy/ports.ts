/**
 * The two things the pre-traffic hook does to the outside world, as small
 * interfaces so the check itself runs in tests against the real tile handler.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";

/** Sends one API Gateway (payload 2.0) request to the version under test. */
export interface VersionInvoker {
  invoke(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2>;
}

export type HookStatus = "Succeeded" | "Failed";

/** The identifiers CodeDeploy passes to a lifecycle hook and wants back. */
export interface LifecycleEvent {
  DeploymentId: string;
  LifecycleEventHookExecutionId: string;
}

/** Tells CodeDeploy the hook's verdict (PutLifecycleEventHookExecutionStatus). */
export interface LifecycleReporter {
  report(event: LifecycleEvent, status: HookStatus): Promise<void>;
}
