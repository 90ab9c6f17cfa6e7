/** `npm run release:status -- --stage NAME`: alias weights, current deployment, alarms. */
import { stageNames } from "../stacks/naming";
import { parseReleaseArgs } from "./release/args";
import { runCli } from "./release/cli";
import { createReleaseClients } from "./release/clients";
import { formatReleaseStatus, readReleaseStatus } from "./release/status";

await runCli("release:status", async () => {
  const args = parseReleaseArgs(process.argv.slice(2));
  const status = await readReleaseStatus(createReleaseClients(args.region), stageNames(args.stage), args.roles);
  return formatReleaseStatus(status);
});
