/**
 * `release:rollback`: puts each function's `live` alias back on the version it
 * served before the latest release, through CodeDeploy either way:
 * - a release still running is stopped with `autoRollbackEnabled`, and
 *   CodeDeploy routes everything back to the old version;
 * - a finished release is undone by a new deployment whose AppSpec moves
 *   `live` from the version it serves to the one before (all at once: the
 *   previous version already carried all traffic until the release). The
 *   version before is read from CodeDeploy's own record of the deployment
 *   that put the current version live, and must still exist (versions are
 *   retained by the stack and pruned only beyond the newest 10).
 * The rollback deployment carries no lifecycle hooks: the deployed hooks judge
 * the stack's newest version, not the one rolled back to, which already
 * passed its own checks when it was released.
 */
import {
  type CodeDeployClient,
  CreateDeploymentCommand,
  type DeploymentInfo,
  GetApplicationRevisionCommand,
  StopDeploymentCommand,
} from "@aws-sdk/client-codedeploy";
import { GetAliasCommand, GetFunctionConfigurationCommand, type LambdaClient } from "@aws-sdk/client-lambda";
import { LIVE_ALIAS, type ServiceRole, type StageNames } from "../../stacks/naming";
import { isRunning, listDeployments } from "./deployments";

export class NothingToRollBackError extends Error {}

/** CodeDeploy's config that moves all traffic in one step. */
export const ROLLBACK_DEPLOYMENT_CONFIG = "CodeDeployDefault.LambdaAllAtOnce";

export interface RollbackClients {
  codedeploy: CodeDeployClient;
  lambda: LambdaClient;
}

export type RollbackAction =
  | { role: ServiceRole; kind: "stopped"; deploymentId: string; status: string; message: string }
  | { role: ServiceRole; kind: "redeployed"; deploymentId: string; fromVersion: string; toVersion: string };

/** The Lambda AppSpec CodeDeploy uses to move an alias from one version to another. */
export function lambdaAppSpec(functionName: string, currentVersion: string, targetVersion: string): string {
  return JSON.stringify({
    version: 0.0,
    Resources: [
      {
        [functionName]: {
          Type: "AWS::Lambda::Function",
          Properties: {
            Name: functionName,
            Alias: LIVE_ALIAS,
            CurrentVersion: currentVersion,
            TargetVersion: targetVersion,
          },
        },
      },
    ],
  });
}

/** CurrentVersion and TargetVersion of a Lambda AppSpec, JSON or YAML. */
export function appSpecVersions(content: string): { currentVersion?: string; targetVersion?: string } {
  const read = (key: string) => new RegExp(`["']?${key}["']?\\s*:\\s*["']?([0-9]+)`).exec(content)?.[1];
  return { currentVersion: read("CurrentVersion"), targetVersion: read("TargetVersion") };
}

async function appSpecOf(
  client: CodeDeployClient,
  names: StageNames,
  deployment: DeploymentInfo,
): Promise<string | undefined> {
  const inline = deployment.revision?.appSpecContent?.content ?? deployment.revision?.string?.content;
  if (inline) return inline;
  if (!deployment.revision) return undefined;
  const stored = await client.send(
    new GetApplicationRevisionCommand({ applicationName: names.deploymentApplication, revision: deployment.revision }),
  );
  return stored.revision?.appSpecContent?.content ?? stored.revision?.string?.content;
}

/**
 * The version `live` served before `liveVersion`: the CurrentVersion of the
 * newest successful deployment whose TargetVersion is `liveVersion`.
 */
export async function previousVersion(
  client: CodeDeployClient,
  names: StageNames,
  _role: ServiceRole,
  liveVersion: string,
  deployments: readonly DeploymentInfo[],
): Promise<string | undefined> {
  for (const deployment of deployments) {
    if (deployment.status !== "Succeeded") continue;
    const content = await appSpecOf(client, names, deployment);
    if (!content) continue;
    const { currentVersion, targetVersion } = appSpecVersions(content);
    if (targetVersion === liveVersion && currentVersion && currentVersion !== liveVersion) return currentVersion;
  }
  return undefined;
}

async function rollBackFinished(
  clients: RollbackClients,
  names: StageNames,
  role: ServiceRole,
  deployments: DeploymentInfo[],
): Promise<RollbackAction> {
  const functionName = names.functionName(role);
  const alias = await clients.lambda.send(new GetAliasCommand({ FunctionName: functionName, Name: LIVE_ALIAS }));
  const live = alias.FunctionVersion;
  if (!live) throw new NothingToRollBackError(`${functionName}:${LIVE_ALIAS} points at no version`);
  const previous = await previousVersion(clients.codedeploy, names, role, live, deployments);
  if (!previous) {
    throw new NothingToRollBackError(
      `${role}: no successful deployment in ${names.deploymentGroup(role)} put version ${live} live, so there is no version before it to go back to`,
    );
  }
  try {
    await clients.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: functionName, Qualifier: previous }));
  } catch (error) {
    if ((error as { name?: string }).name === "ResourceNotFoundException") {
      throw new NothingToRollBackError(
        `${role}: version ${previous}, the one before ${live}, no longer exists (pruned); deploy its commit instead`,
      );
    }
    throw error;
  }
  const created = await clients.codedeploy.send(
    new CreateDeploymentCommand({
      applicationName: names.deploymentApplication,
      deploymentGroupName: names.deploymentGroup(role),
      deploymentConfigName: ROLLBACK_DEPLOYMENT_CONFIG,
      description: `release:rollback: ${LIVE_ALIAS} from version ${live} back to ${previous}`,
      revision: {
        revisionType: "AppSpecContent",
        appSpecContent: { content: lambdaAppSpec(functionName, live, previous) },
      },
    }),
  );
  return {
    role,
    kind: "redeployed",
    deploymentId: created.deploymentId ?? "?",
    fromVersion: live,
    toVersion: previous,
  };
}

export async function rollBack(
  clients: RollbackClients,
  names: StageNames,
  roles: readonly ServiceRole[],
): Promise<RollbackAction[]> {
  const actions: RollbackAction[] = [];
  for (const role of roles) {
    const deployments = await listDeployments(clients.codedeploy, names, role, false);
    const running = deployments.filter(isRunning);
    for (const deployment of running) {
      const deploymentId = deployment.deploymentId!;
      const result = await clients.codedeploy.send(
        new StopDeploymentCommand({ deploymentId, autoRollbackEnabled: true }),
      );
      actions.push({
        role,
        kind: "stopped",
        deploymentId,
        status: result.status ?? "?",
        message: result.statusMessage ?? "",
      });
    }
    if (running.length === 0) actions.push(await rollBackFinished(clients, names, role, deployments));
  }
  return actions;
}

export function formatRollback(actions: readonly RollbackAction[]): string {
  return actions
    .map((a) =>
      a.kind === "stopped"
        ? `${a.role}: stopped ${a.deploymentId} with rollback (${a.status}${a.message ? `: ${a.message}` : ""})`
        : `${a.role}: deployment ${a.deploymentId} moves ${LIVE_ALIAS} from version ${a.fromVersion} back to ${a.toVersion} (all at once); ` +
          "follow it with npm run release:status",
    )
    .join("\n");
}
