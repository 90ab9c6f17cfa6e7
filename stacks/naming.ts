/**
 * Every AWS name derived from a stage, in one place. The stack names its
 * resources with these and the release CLIs (`npm run release:status`,
 * `release:rollback`) find them with the same functions, so the two cannot
 * drift apart. Pure: no CDK or SDK imports, so scripts can load it cheaply.
 */

export const APP_NAME = "fractile";
/** The alias API Gateway, the warm-up rule and CodeDeploy all point at. */
export const LIVE_ALIAS = "live";
export const METRICS_NAMESPACE = "Fractile";

export const SERVICE_ROLES = ["tiles", "image"] as const;
export type ServiceRole = (typeof SERVICE_ROLES)[number];

// Stage names end up in function, alarm, deployment group and CloudFormation
// stack names, whose length and character limits differ; short, lower-case
// and DNS-like fits all of them.
const STAGE_PATTERN = /^[a-z][a-z0-9-]{0,29}$/;

export class StageNameError extends Error {}

export function assertStageName(stage: string): void {
  if (!STAGE_PATTERN.test(stage)) {
    throw new StageNameError(
      `stage must be 1-30 characters of lower-case letters, digits and "-", starting with a letter; got ${JSON.stringify(stage)}`,
    );
  }
}

export interface StageNames {
  readonly stage: string;
  /** Lambda function name; also POWERTOOLS_SERVICE_NAME (the `service` metric dimension). */
  functionName(role: ServiceRole): string;
  serviceName(role: ServiceRole): string;
  deploymentApplication: string;
  deploymentGroup(role: ServiceRole): string;
  /** Every alarm of the stage starts with this, so DescribeAlarms can list them by prefix. */
  alarmPrefix: string;
  alarmName(role: ServiceRole, check: string): string;
  dashboard: string;
}

export function stageNames(stage: string): StageNames {
  assertStageName(stage);
  const base = `${APP_NAME}-${stage}`;
  return {
    stage,
    functionName: (role) => `${base}-${role}`,
    serviceName: (role) => `${base}-${role}`,
    deploymentApplication: base,
    deploymentGroup: (role) => `${base}-${role}`,
    alarmPrefix: `${base}-`,
    alarmName: (role, check) => `${base}-${role}-${check}`,
    dashboard: base,
  };
}
