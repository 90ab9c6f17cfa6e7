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

/**
 * Alias `rv-{renderVersion}` names the function version that owns (renders) a
 * render version. A version that misses a tile of another render version
 * forwards the request to that alias, so a tile URL is always rendered by the
 * code that defines its bytes. The pre-traffic hook creates it for a new render
 * version and the post-traffic hook hands it to the released version; see
 * docs/operations.md ("Tiles of two render versions during a release").
 */
const RENDER_VERSION_ALIAS_PREFIX = "rv-";
// Lambda alias names: letters, digits, "-" and "_", not all digits, <= 128 characters.
const ALIAS_SAFE_RENDER_VERSION = /^[A-Za-z0-9_-]{1,100}$/;

/** The alias owning a render version, or undefined when the name cannot be an alias (then nobody owns it). */
export function renderVersionAlias(renderVersion: string): string | undefined {
  return ALIAS_SAFE_RENDER_VERSION.test(renderVersion) ? `${RENDER_VERSION_ALIAS_PREFIX}${renderVersion}` : undefined;
}

export function isRenderVersionAlias(aliasName: string): boolean {
  return aliasName.startsWith(RENDER_VERSION_ALIAS_PREFIX);
}

/** A published version number (`7`), as opposed to `$LATEST` or an alias name. */
export function isPublishedVersion(qualifier: string | undefined): qualifier is string {
  return qualifier !== undefined && /^[1-9][0-9]*$/.test(qualifier);
}

export const SERVICE_ROLES = ["tiles", "image"] as const;
export type ServiceRole = (typeof SERVICE_ROLES)[number];
/** Every deployed function: the released services plus the export functions, which CodeDeploy does not release. */
export type FunctionRole = ServiceRole | "exports" | "export-worker";

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
  functionName(role: FunctionRole): string;
  serviceName(role: FunctionRole): string;
  deploymentApplication: string;
  deploymentGroup(role: ServiceRole): string;
  /**
   * Every alarm of the stage starts with this, so DescribeAlarms can list them
   * by prefix. Names are `{app}-{stage}.{role}-{check}`: "." cannot occur in a
   * stage name, so the prefix of `prod` never matches `prod-eu`'s alarms.
   */
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
    alarmPrefix: `${base}.`,
    alarmName: (role, check) => `${base}.${role}-${check}`,
    dashboard: base,
  };
}
