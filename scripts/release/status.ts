/**
 * `release:status`: where a stage's release stands. Reads the `live` alias
 * weights, the deployment that matters (running, else the latest) and the
 * stage's alarms, then formats them for a terminal.
 */
import { type CloudWatchClient, DescribeAlarmsCommand, type StateValue } from "@aws-sdk/client-cloudwatch";
import type { DeploymentInfo } from "@aws-sdk/client-codedeploy";
import { GetAliasCommand, type LambdaClient, ListAliasesCommand } from "@aws-sdk/client-lambda";
import { LIVE_ALIAS, isRenderVersionAlias, type ServiceRole, type StageNames } from "../../stacks/naming";
import type { ReleaseClients } from "./clients";
import { chooseDeployment, listDeployments } from "./deployments";

export interface VersionWeight {
  version: string;
  percent: number;
}

export interface FunctionRelease {
  role: ServiceRole;
  functionName: string;
  /** Traffic split of the alias, largest share first; undefined when the alias does not exist. */
  weights?: VersionWeight[];
  /** Render versions with an owner (alias `rv-*`), newest owner first; tile function only. */
  renderVersionOwners?: { alias: string; version: string }[];
  deployment?: DeploymentInfo;
  /** Why part of the status could not be read (e.g. the stage was never deployed). */
  problems: string[];
}

export interface AlarmSummary {
  name: string;
  state: StateValue | string;
  reason: string;
}

export interface ReleaseStatus {
  stage: string;
  alarmPrefix: string;
  functions: FunctionRelease[];
  alarms: AlarmSummary[];
}

/** Alias routing as percentages: the primary version gets what the extra versions do not. */
export function aliasWeights(primaryVersion: string, additional: Record<string, number> = {}): VersionWeight[] {
  const extra = Object.entries(additional).map(([version, weight]) => ({ version, percent: round(weight * 100) }));
  const primaryShare = round(100 - extra.reduce((sum, w) => sum + w.percent, 0));
  return [{ version: primaryVersion, percent: primaryShare }, ...extra].sort((a, b) => b.percent - a.percent);
}

function round(percent: number): number {
  return Math.round(percent * 10) / 10;
}

async function readRenderVersionOwners(
  lambda: LambdaClient,
  functionName: string,
): Promise<{ alias: string; version: string }[]> {
  const owners: { alias: string; version: string }[] = [];
  let marker: string | undefined;
  do {
    const page = await lambda.send(new ListAliasesCommand({ FunctionName: functionName, Marker: marker }));
    for (const alias of page.Aliases ?? []) {
      if (alias.Name && alias.FunctionVersion && isRenderVersionAlias(alias.Name))
        owners.push({ alias: alias.Name, version: alias.FunctionVersion });
    }
    marker = page.NextMarker;
  } while (marker);
  return owners.sort((a, b) => Number(b.version) - Number(a.version));
}

async function readWeights(lambda: LambdaClient, functionName: string): Promise<VersionWeight[]> {
  const alias = await lambda.send(new GetAliasCommand({ FunctionName: functionName, Name: LIVE_ALIAS }));
  return aliasWeights(alias.FunctionVersion ?? "?", alias.RoutingConfig?.AdditionalVersionWeights);
}

export async function readAlarms(cloudwatch: CloudWatchClient, prefix: string): Promise<AlarmSummary[]> {
  const alarms: AlarmSummary[] = [];
  let nextToken: string | undefined;
  do {
    const page = await cloudwatch.send(new DescribeAlarmsCommand({ AlarmNamePrefix: prefix, NextToken: nextToken }));
    for (const alarm of [...(page.MetricAlarms ?? []), ...(page.CompositeAlarms ?? [])]) {
      alarms.push({ name: alarm.AlarmName ?? "?", state: alarm.StateValue ?? "?", reason: alarm.StateReason ?? "" });
    }
    nextToken = page.NextToken;
  } while (nextToken);
  return alarms.sort((a, b) => a.name.localeCompare(b.name));
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

export async function readReleaseStatus(
  clients: ReleaseClients,
  names: StageNames,
  roles: readonly ServiceRole[],
): Promise<ReleaseStatus> {
  const functions = await Promise.all(
    roles.map(async (role): Promise<FunctionRelease> => {
      const functionName = names.functionName(role);
      const release: FunctionRelease = { role, functionName, problems: [] };
      try {
        release.weights = await readWeights(clients.lambda, functionName);
        if (role === "tiles") release.renderVersionOwners = await readRenderVersionOwners(clients.lambda, functionName);
      } catch (error) {
        release.problems.push(`alias ${functionName}:${LIVE_ALIAS}: ${describe(error)}`);
      }
      try {
        release.deployment = chooseDeployment(await listDeployments(clients.codedeploy, names, role, false));
      } catch (error) {
        release.problems.push(`deployment group ${names.deploymentGroup(role)}: ${describe(error)}`);
      }
      return release;
    }),
  );
  return {
    stage: names.stage,
    alarmPrefix: names.alarmPrefix,
    functions,
    alarms: await readAlarms(clients.cloudwatch, names.alarmPrefix),
  };
}

function formatDeployment(deployment: DeploymentInfo, now: Date): string[] {
  const started = deployment.createTime;
  const age = started ? ` (started ${Math.round((now.getTime() - started.getTime()) / 1000)} s ago)` : "";
  const lines = [
    `  deployment ${deployment.deploymentId} ${deployment.status}${age}, ${deployment.deploymentConfigName ?? "?"}`,
  ];
  if (deployment.rollbackInfo?.rollbackDeploymentId) {
    lines.push(
      `    rolled back by ${deployment.rollbackInfo.rollbackDeploymentId}: ${deployment.rollbackInfo.rollbackMessage ?? ""}`,
    );
  }
  if (deployment.rollbackInfo?.rollbackTriggeringDeploymentId) {
    lines.push(`    this is the rollback of ${deployment.rollbackInfo.rollbackTriggeringDeploymentId}`);
  }
  if (deployment.errorInformation?.message) {
    lines.push(`    error ${deployment.errorInformation.code ?? ""}: ${deployment.errorInformation.message}`);
  }
  return lines;
}

export function formatReleaseStatus(status: ReleaseStatus, now = new Date()): string {
  const lines = [`stage ${status.stage}`];
  for (const release of status.functions) {
    lines.push(`${release.role} (${release.functionName})`);
    if (release.weights) {
      lines.push(`  ${LIVE_ALIAS}: ${release.weights.map((w) => `v${w.version} ${w.percent}%`).join(", ")}`);
    }
    if (release.renderVersionOwners?.length) {
      lines.push(
        `  render version owners: ${release.renderVersionOwners.map((o) => `${o.alias} -> v${o.version}`).join(", ")}`,
      );
    }
    if (release.deployment) lines.push(...formatDeployment(release.deployment, now));
    else if (release.problems.length === 0) lines.push("  no deployments yet");
    for (const problem of release.problems) lines.push(`  ! ${problem}`);
  }
  lines.push(status.alarms.length ? "alarms" : `alarms: none named ${status.alarmPrefix}*`);
  for (const alarm of status.alarms) {
    lines.push(`  ${alarm.state.padEnd(17)} ${alarm.name}${alarm.state === "OK" ? "" : `: ${alarm.reason}`}`);
  }
  return lines.join("\n");
}
