/** `npm run release:rollback -- --stage NAME`: stop the running release and roll `live` back. */
import { stageNames } from "../stacks/naming";
import { parseReleaseArgs } from "./release/args";
import { runCli } from "./release/cli";
import { createReleaseClients } from "./release/clients";
import { formatStopped, rollBackRunningDeployments } from "./release/rollback";

await runCli("release:rollback", async () => {
  const args = parseReleaseArgs(process.argv.slice(2));
  const stopped = await rollBackRunningDeployments(createReleaseClients(args.region).codedeploy, stageNames(args.stage), args.roles);
  return formatStopped(stopped);
});
