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
  const sorted = newestFirst(deployments);
  return sorted.find(isRunning) ?? sorted[0];
}

/** BatchGetDeployments takes at most 25 ids a call. */
const BATCH = 25;

/**
 * Every deployment of a role's group (all pages of ListDeployments), newest
 * first. CodeDeploy documents no order for the listing, so all of it is read
 * and sorted by creation time.
 */
export async function listDeployments(
  client: CodeDeployClient,
  names: StageNames,
  role: ServiceRole,
  onlyRunning: boolean,
): Promise<DeploymentInfo[]> {
  const ids: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(
      new ListDeploymentsCommand({
        applicationName: names.deploymentApplication,
        deploymentGroupName: names.deploymentGroup(role),
        ...(onlyRunning ? { includeOnlyStatuses: [...RUNNING_STATUSES] } : {}),
        nextToken,
      }),
    );
    ids.push(...(page.deployments ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  const details: DeploymentInfo[] = [];
  for (let i = 0; i < ids.length; i += BATCH) {
    const batch = await client.send(new BatchGetDeploymentsCommand({ deploymentIds: ids.slice(i, i + BATCH) }));
    details.push(...(batch.deploymentsInfo ?? []));
  }
  return newestFirst(details);
}

export function newestFirst(deployments: readonly DeploymentInfo[]): DeploymentInfo[] {
  return [...deployments].sort((a, b) => (b.createTime?.getTime() ?? 0) - (a.createTime?.getTime() ?? 0));
}
