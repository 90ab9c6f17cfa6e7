/**
 * What the release hooks do to the outside world, as small interfaces so the
 * hooks themselves run in tests against the real handlers.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import type { SelfTestEvent } from "../internal-events";

/** A request the hook sends to the version under test: an API Gateway (payload 2.0) request or a tile self-test. */
export type HookRequest = APIGatewayProxyEventV2 | SelfTestEvent;

/** Sends one request to the version under test, by its version ARN. */
export interface VersionInvoker {
  invoke(event: HookRequest): Promise<APIGatewayProxyStructuredResultV2>;
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

export interface AliasInfo {
  name: string;
  /** The version the alias routes to (its primary version). */
  version: string;
  /** Versions that get a share of the alias's traffic besides the primary one (during a shift). */
  additionalVersions: string[];
}

/** The aliases and versions of the one function a hook looks after. */
export interface FunctionAdmin {
  /** The version an alias points at, or undefined when there is no such alias. */
  aliasVersion(name: string): Promise<string | undefined>;
  /** Creates the alias or moves it to `version`. */
  putAlias(name: string, version: string): Promise<void>;
  listAliases(): Promise<AliasInfo[]>;
  /** Published version numbers (no `$LATEST`). */
  listVersions(): Promise<string[]>;
  deleteAlias(name: string): Promise<void>;
  deleteVersion(version: string): Promise<void>;
}
