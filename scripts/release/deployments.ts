/**
 * Finding a deployment group's deployments. Shared by status (which one to
 * show) and rollback (which ones to stop).
 */
import {
  BatchGetDeploymentsCommand,
  type CodeDeployClient,
  type DeploymentInfo,
  type DeploymentStatus,
  ListDeploymentsCommand,
} from "@aws-sdk/client-codedeploy";
import type { ServiceRole, StageNames } from "../../stacks/naming";

/** Statuses of a deployment that can still move traffic (and can be stopped). */
export const RUNNING_STATUSES: readonly DeploymentStatus[] = ["Created", "Queued", "InProgress", "Baking", "Ready"];

export function isRunning(deployment: DeploymentInfo): boolean {
  return RUNNING_STATUSES.includes(deployment.status as DeploymentStatus);
}

/** A running deployment if there is one (the newest of them), else the newest of all. */
export function chooseDeployment(deployments: readonly DeploymentInfo[]): DeploymentInfo | undefined {
  const newestFirst = [...deployments].sort(
    (a, b) => (b.createTime?.getTime() ?? 0) - (a.createTime?.getTime() ?? 0),
  );
  return newestFirst.find(isRunning) ?? newestFirst[0];
}

/** How many recent deployments to look at; BatchGetDeployments takes at most 25. */
const RECENT = 10;

export async function listDeployments(
  client: CodeDeployClient,
  names: StageNames,
  role: ServiceRole,
  onlyRunning: boolean,
): Promise<DeploymentInfo[]> {
  const listed = await client.send(
    new ListDeploymentsCommand({
      applicationName: names.deploymentApplication,
      deploymentGroupName: names.deploymentGroup(role),
      ...(onlyRunning ? { includeOnlyStatuses: [...RUNNING_STATUSES] } : {}),
    }),
  );
  const ids = (listed.deployments ?? []).slice(0, RECENT);
  if (ids.length === 0) return [];
  const details = await client.send(new BatchGetDeploymentsCommand({ deploymentIds: ids }));
  return details.deploymentsInfo ?? [];
}
