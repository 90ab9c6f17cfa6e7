/**
 * The release hooks' control flow: run the steps, then *always* report a
 * verdict. An unreported hook leaves the deployment waiting for an hour, so
 * every exception (bad event, invoke failure, a crash in a step) is reported.
 *
 * - Before traffic (BeforeAllowTraffic): the checks of the new version; any
 *   problem is `Failed` and traffic never moves. Only when they pass does the
 *   tile hook make the new version the owner of its render version.
 * - After traffic (AfterAllowTraffic): housekeeping for a release that has
 *   already succeeded (hand over the render version, prune old versions). Its
 *   problems are logged but reported `Succeeded`: rolling back a healthy
 *   release because a cleanup failed would be the worse outcome.
 */
import { RENDER_VERSION } from "../../../packages/render/index";
import type { ServiceRole } from "../../../stacks/naming";
import { checkGoldenTiles, checkHealth, checkImage, versionOfArn } from "./pre-traffic-checks";
import type { FunctionAdmin, HookStatus, LifecycleEvent, LifecycleReporter, VersionInvoker } from "./ports";
import { PRUNE_POLICY, type PrunePolicy, pruneVersions } from "./prune";
import { claimRenderVersionBeforeTraffic, handOverRenderVersion } from "./render-version-alias";
import { renderVersionAlias } from "../../../stacks/naming";

export interface HookLog {
  info(message: string, details: Record<string, unknown>): void;
  error(message: string, details: Record<string, unknown>): void;
}

export interface HookDeps {
  /** Which function the hook looks after. */
  role: ServiceRole;
  targetVersionArn: string;
  invoker: VersionInvoker;
  reporter: LifecycleReporter;
  /** The target function's aliases and versions; absent in tests of the checks alone. */
  admin?: FunctionAdmin;
  log: HookLog;
  renderVersion?: string;
  prunePolicy?: PrunePolicy;
}

export interface HookOutcome {
  status: HookStatus;
  problems: string[];
  /** What the hook changed (aliases moved, versions pruned). */
  actions: string[];
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function report(
  event: LifecycleEvent,
  deps: HookDeps,
  phase: string,
  outcome: HookOutcome,
): Promise<HookOutcome> {
  const details = { phase, target: deps.targetVersionArn, deploymentId: event.DeploymentId, ...outcome };
  if (outcome.problems.length === 0) deps.log.info(`${phase} hook passed`, details);
  else deps.log.error(`${phase} hook found problems`, details);
  await deps.reporter.report(event, outcome.status);
  return outcome;
}

export async function runPreTrafficHook(event: LifecycleEvent, deps: HookDeps): Promise<HookOutcome> {
  const actions: string[] = [];
  let problems: string[];
  try {
    const version = versionOfArn(deps.targetVersionArn);
    problems =
      deps.role === "tiles"
        ? [...(await checkHealth(deps.invoker, version)), ...(await checkGoldenTiles(deps.invoker))]
        : await checkImage(deps.invoker);
    if (problems.length === 0 && deps.role === "tiles" && deps.admin) {
      actions.push(await claimRenderVersionBeforeTraffic(deps.admin, deps.renderVersion ?? RENDER_VERSION, version));
    }
  } catch (error) {
    problems = [`check crashed: ${message(error)}`];
  }
  return report(event, deps, "before-traffic", {
    status: problems.length === 0 ? "Succeeded" : "Failed",
    problems,
    actions,
  });
}

export async function runPostTrafficHook(event: LifecycleEvent, deps: HookDeps): Promise<HookOutcome> {
  const actions: string[] = [];
  const problems: string[] = [];
  const renderVersion = deps.renderVersion ?? RENDER_VERSION;
  try {
    const version = versionOfArn(deps.targetVersionArn);
    if (!deps.admin) throw new Error("no function admin configured");
    if (deps.role === "tiles") actions.push(await handOverRenderVersion(deps.admin, renderVersion, version));
    const owned = deps.role === "tiles" ? [renderVersionAlias(renderVersion) ?? ""] : [];
    const pruned = await pruneVersions(deps.admin, deps.prunePolicy ?? PRUNE_POLICY, owned);
    actions.push(`pruned versions [${pruned.versions.join(", ")}], retired aliases [${pruned.aliases.join(", ")}]`);
  } catch (error) {
    problems.push(`housekeeping failed: ${message(error)}`);
  }
  return report(event, deps, "after-traffic", { status: "Succeeded", problems, actions });
}
