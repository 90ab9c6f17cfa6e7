import type * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import * as codedeploy from "aws-cdk-lib/aws-codedeploy";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import type { Construct } from "constructs";
import type { ServiceRole, StageNames } from "../naming";
import type { StageConfig } from "../stage-config";
import type { LiveFunction } from "./live-function";

/**
 * How a new version reaches the `live` alias. Production-like stages shift
 * 10 % of traffic a minute so the version alarms see real traffic before it
 * all moves; personal stages switch at once because nobody is watching them.
 * Any failure, a manual stop or a version alarm rolls the alias back. Both
 * functions pass a BeforeAllowTraffic check first and run AfterAllowTraffic
 * housekeeping once all traffic has moved (stacks/parts/release-hooks.ts).
 */
export function createReleaseGroup(
  scope: Construct,
  id: string,
  props: {
    application: codedeploy.ILambdaApplication;
    target: LiveFunction;
    role: ServiceRole;
    names: StageNames;
    config: StageConfig;
    alarms: cloudwatch.IAlarm[];
    hooks: { before: lambda.IFunction; after: lambda.IFunction };
  },
): codedeploy.LambdaDeploymentGroup {
  return new codedeploy.LambdaDeploymentGroup(scope, id, {
    application: props.application,
    deploymentGroupName: props.names.deploymentGroup(props.role),
    alias: props.target.alias,
    deploymentConfig: props.config.productionLike
      ? codedeploy.LambdaDeploymentConfig.LINEAR_10PERCENT_EVERY_1MINUTE
      : codedeploy.LambdaDeploymentConfig.ALL_AT_ONCE,
    alarms: props.alarms,
    preHook: props.hooks.before,
    postHook: props.hooks.after,
    autoRollback: { failedDeployment: true, stoppedDeployment: true, deploymentInAlarm: true },
  });
}
