/**
 * Who owns a render version: the alias `rv-{renderVersion}` (stacks/naming.ts),
 * managed by the release hooks rather than CloudFormation. Why not the stack:
 * an alias resource that leaves the template is deleted (and viewers still on
 * that render version lose their tiles), a retained one blocks re-creating the
 * same name when a render version comes back (a revert), and CloudFormation
 * would point it at the new version before the hook has judged it.
 *
 * - Before traffic (the golden checks passed): the new version becomes the
 *   owner, unless the owner is the version `live` serves right now; then the
 *   render version did not change and the proven version keeps it until
 *   the release has succeeded.
 * - After traffic (the release succeeded): the released version is the owner.
 */
import { LIVE_ALIAS, renderVersionAlias } from "../../../stacks/naming";
import type { FunctionAdmin } from "./ports";

function aliasFor(renderVersion: string): string {
  const alias = renderVersionAlias(renderVersion);
  if (!alias)
    throw new Error(
      `render version ${JSON.stringify(renderVersion)} cannot be a Lambda alias name, so no version could own it`,
    );
  return alias;
}

/** Returns what it did, for the hook's log. */
export async function claimRenderVersionBeforeTraffic(
  admin: FunctionAdmin,
  renderVersion: string,
  newVersion: string,
): Promise<string> {
  const alias = aliasFor(renderVersion);
  const [owner, live] = await Promise.all([admin.aliasVersion(alias), admin.aliasVersion(LIVE_ALIAS)]);
  if (owner !== undefined && owner === live)
    return `${alias} stays on version ${owner}, which live serves (same render version)`;
  await admin.putAlias(alias, newVersion);
  return `${alias} -> version ${newVersion}${owner === undefined ? " (new render version)" : ` (was ${owner})`}`;
}

export async function handOverRenderVersion(
  admin: FunctionAdmin,
  renderVersion: string,
  releasedVersion: string,
): Promise<string> {
  const alias = aliasFor(renderVersion);
  await admin.putAlias(alias, releasedVersion);
  return `${alias} -> version ${releasedVersion}`;
}
