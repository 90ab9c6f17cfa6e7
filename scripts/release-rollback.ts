/**
 * `npm run release:rollback -- --stage NAME`: put `live` back on the previous
 * version: stop a running release with rollback, or undo a finished one with
 * a CodeDeploy deployment back to the version before (see release/rollback.ts).
 */
import { stageNames } from "../stacks/naming";
import { parseReleaseArgs } from "./release/args";
import { runCli } from "./release/cli";
import { createReleaseClients } from "./release/clients";
import { formatRollback, rollBack } from "./release/rollback";

await runCli("release:rollback", async () => {
  const args = parseReleaseArgs(process.argv.slice(2));
  return formatRollback(await rollBack(createReleaseClients(args.region), stageNames(args.stage), args.roles));
});
