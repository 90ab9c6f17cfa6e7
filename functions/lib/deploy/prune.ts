/**
 * Old function versions are retained by CloudFormation (so a rollback has
 * something to go back to) and pruned here, by the post-traffic hook after each
 * successful release, so they do not pile up against Lambda's code storage.
 */
import { isRenderVersionAlias } from "../../../stacks/naming";
import type { AliasInfo, FunctionAdmin } from "./ports";

export interface PrunePolicy {
  /**
   * Newest published versions always kept. Every deploy that changes a
   * function publishes one, failed releases included, so 10 keeps the
   * previous good version (what `release:rollback` goes back to) through a
   * run of failed attempts; at ~40 MB per image bundle that is 0.4 GB of the
   * account's 75 GB code storage.
   */
  keepNewestVersions: number;
  /**
   * Render version owners (`rv-*` aliases) kept, newest first. A viewer that
   * loaded /meta up to this many render releases ago still gets every tile;
   * an older one gets 404 `unknown_render_version` and re-reads /meta.
   */
  keepRenderVersions: number;
}

export const PRUNE_POLICY: PrunePolicy = { keepNewestVersions: 10, keepRenderVersions: 3 };

export interface PrunePlan {
  aliases: string[];
  versions: string[];
}

const byVersionDesc = (a: string, b: string) => Number(b) - Number(a);

/**
 * What to delete: render version aliases beyond the newest
 * `keepRenderVersions` (by the version they point at), then every version
 * that is neither among the newest `keepNewestVersions` nor routed to by a
 * remaining alias (Lambda refuses to delete those anyway). `protectedAliases`
 * are never retired (the render version just released).
 */
export function planPrune(
  aliases: AliasInfo[],
  versions: string[],
  policy: PrunePolicy,
  protectedAliases: string[] = [],
): PrunePlan {
  const owners = aliases
    .filter((a) => isRenderVersionAlias(a.name))
    .sort((a, b) => byVersionDesc(a.version, b.version) || a.name.localeCompare(b.name));
  const retired = owners
    .slice(policy.keepRenderVersions)
    .map((a) => a.name)
    .filter((name) => !protectedAliases.includes(name));
  const remaining = aliases.filter((a) => !retired.includes(a.name));
  const referenced = new Set(remaining.flatMap((a) => [a.version, ...a.additionalVersions]));
  const newestFirst = [...versions].sort(byVersionDesc);
  const deleted = newestFirst.slice(policy.keepNewestVersions).filter((v) => !referenced.has(v));
  return { aliases: retired, versions: deleted };
}

export async function pruneVersions(
  admin: FunctionAdmin,
  policy: PrunePolicy,
  protectedAliases: string[] = [],
): Promise<PrunePlan> {
  const [aliases, versions] = await Promise.all([admin.listAliases(), admin.listVersions()]);
  const plan = planPrune(aliases, versions, policy, protectedAliases);
  for (const alias of plan.aliases) await admin.deleteAlias(alias);
  for (const version of plan.versions) await admin.deleteVersion(version);
  return plan;
}
