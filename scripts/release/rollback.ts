/**
 * `release:rollback`: stops every running deployment of a stage with
 * `autoRollbackEnabled`, which makes CodeDeploy point `live` back at the
 * version it served before. A release that already finished is not running
 * and cannot be stopped: undo it by deploying the previous commit.
 */
import { type CodeDeployClient, StopDeploymentCommand } from "@aws-sdk/client-codedeploy";
import type { ServiceRole, StageNames } from "../../stacks/naming";
import { listDeployments } from "./deployments";

export class NothingToRollBackError extends Error {}

export interface StoppedDeployment {
  role: ServiceRole;
  deploymentId: string;
  status: string;
  message: string;
}

export async function rollBackRunningDeployments(
  client: CodeDeployClient,
  names: StageNames,
  roles: readonly ServiceRole[],
): Promise<StoppedDeployment[]> {
  const stopped: StoppedDeployment[] = [];
  for (const role of roles) {
    for (const deployment of await listDeployments(client, names, role, true)) {
      const deploymentId = deployment.deploymentId!;
      const result = await client.send(new StopDeploymentCommand({ deploymentId, autoRollbackEnabled: true }));
      stopped.push({ role, deploymentId, status: result.status ?? "?", message: result.statusMessage ?? "" });
    }
  }
  if (stopped.length === 0) {
    const groups = roles.map((role) => names.deploymentGroup(role)).join(", ");
    throw new NothingToRollBackError(
      `no deployment is running in ${groups} (application ${names.deploymentApplication}); ` +
        "a finished release cannot be stopped: deploy the previous commit instead",
    );
  }
  return stopped;
}

export function formatStopped(stopped: readonly StoppedDeployment[]): string {
  return stopped
    .map((s) => `${s.role}: stopped ${s.deploymentId} with rollback (${s.status}${s.message ? `: ${s.message}` : ""})`)
    .join("\n");
}
