/**
 * The hook's control flow: run the checks, then *always* report a verdict.
 * An unreported hook leaves the deployment waiting for an hour, so every
 * exception (bad event, invoke failure, a crash in the checks) becomes Failed.
 */
import { checkGoldenTiles, checkHealth, versionOfArn } from "./pre-traffic-checks";
import type { HookStatus, LifecycleEvent, LifecycleReporter, VersionInvoker } from "./ports";

export interface HookLog {
  info(message: string, details: Record<string, unknown>): void;
  error(message: string, details: Record<string, unknown>): void;
}

export interface HookDeps {
  targetVersionArn: string;
  invoker: VersionInvoker;
  reporter: LifecycleReporter;
  log: HookLog;
}

export interface HookOutcome {
  status: HookStatus;
  problems: string[];
}

export async function runPreTrafficHook(event: LifecycleEvent, deps: HookDeps): Promise<HookOutcome> {
  let outcome: HookOutcome;
  try {
    const problems = [
      ...(await checkHealth(deps.invoker, versionOfArn(deps.targetVersionArn))),
      ...(await checkGoldenTiles(deps.invoker)),
    ];
    outcome = { status: problems.length === 0 ? "Succeeded" : "Failed", problems };
  } catch (error) {
    outcome = { status: "Failed", problems: [`check crashed: ${error instanceof Error ? error.message : String(error)}`] };
  }
  const details = { target: deps.targetVersionArn, deploymentId: event.DeploymentId, problems: outcome.problems };
  if (outcome.status === "Succeeded") deps.log.info("pre-traffic checks passed", details);
  else deps.log.error("pre-traffic checks failed", details);
  await deps.reporter.report(event, outcome.status);
  return outcome;
}
