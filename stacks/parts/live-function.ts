import { ArnFormat, RemovalPolicy, Stack } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import * as lambda from "aws-cdk-lib/aws-lambda";
import { Function as SstFunction, type FunctionProps } from "sst/constructs";
import type { Construct } from "constructs";
import { ONE_VCPU_MB } from "../../functions/lib/function-sizing";
import { LIVE_ALIAS, METRICS_NAMESPACE, type FunctionRole, type ServiceRole, type StageNames } from "../naming";

export interface LiveFunctionProps {
  role: FunctionRole;
  names: StageNames;
  handler: string;
  architecture: "arm_64" | "x86_64";
  /** Below API Gateway's 30 s integration limit, so a slow render fails as our 5xx, not a gateway timeout. */
  timeoutSeconds: number;
  /**
   * Default ONE_VCPU_MB: renders are CPU-bound and single-threaded, so more memory buys nothing
   * and less slows every render. Only the tile function's deep loop uses more vCPUs.
   */
  memoryMb?: number;
  /** Undefined: no reservation (see StageConfig.reservedConcurrency for why that is the default). */
  reservedConcurrency?: number;
  environment?: Record<string, string>;
  nodejs?: FunctionProps["nodejs"];
}

export interface LiveFunction {
  fn: SstFunction;
  /** The version this deploy publishes: what the hook tests and the alarms watch. */
  version: lambda.Version;
  /** `live`: the only thing traffic (API, warm-up) ever reaches. */
  alias: lambda.Alias;
  /** ARN of the alias built from names alone, so the function may point at its own alias without a cycle. */
  aliasArn: string;
}

export function createLiveFunction(scope: Construct, id: string, props: LiveFunctionProps): LiveFunction {
  const functionName = props.names.functionName(props.role);
  const aliasArn = Stack.of(scope).formatArn({
    service: "lambda",
    resource: "function",
    resourceName: `${functionName}:${LIVE_ALIAS}`,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });

  const fn = new SstFunction(scope, id, {
    functionName,
    handler: props.handler,
    runtime: "nodejs22.x",
    architecture: props.architecture,
    memorySize: props.memoryMb ?? ONE_VCPU_MB,
    timeout: props.timeoutSeconds,
    reservedConcurrentExecutions: props.reservedConcurrency,
    // No X-Ray: the handlers report through EMF metrics and logs, and SST's
    // default (active tracing) would add a `Resource: *` grant to every role.
    tracing: "disabled",
    environment: {
      POWERTOOLS_SERVICE_NAME: props.names.serviceName(props.role),
      POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
      ...props.environment,
    },
    nodejs: props.nodejs,
  });

  const version = fn.currentVersion;
  // Each code or configuration change publishes a version under a new logical
  // id, so the previous one leaves the template. Retained, it stays in Lambda:
  // what `release:rollback` returns to and what owns an older render version.
  // Retain (not RetainExceptOnCreate) also covers a rolled-back update: the
  // version it published may already own a render version alias, and deleting
  // an aliased version fails, which would wedge the stack in
  // UPDATE_ROLLBACK_FAILED. The after-traffic hook prunes old versions.
  version.applyRemovalPolicy(RemovalPolicy.RETAIN);
  const alias = new lambda.Alias(scope, `${id}Live`, { aliasName: LIVE_ALIAS, version });
  return { fn, version, alias, aliasArn };
}

/**
 * Lets a function invoke itself through aliases only (never `$LATEST` or a bare
 * version): `live` for the warm-up fan-out, `rv-*` to forward a tile of another
 * render version to the version that owns it.
 */
export function allowInvokeOwnAliases(target: LiveFunction, names: StageNames, role: ServiceRole): void {
  const renderVersionOwners = Stack.of(target.fn).formatArn({
    service: "lambda",
    resource: "function",
    resourceName: `${names.functionName(role)}:rv-*`,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
  target.fn.addToRolePolicy(
    new iam.PolicyStatement({ actions: ["lambda:InvokeFunction"], resources: [target.aliasArn, renderVersionOwners] }),
  );
}
