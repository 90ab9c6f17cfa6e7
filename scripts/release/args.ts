import { parseArgs } from "node:util";
import { SERVICE_ROLES, StageNameError, assertStageName, type ServiceRole } from "../../stacks/naming";

/** Wrong command line: the CLI prints the message and the usage, and exits 2. */
export class UsageError extends Error {}

export interface ReleaseArgs {
  stage: string;
  /** Limit to one function's release; both when omitted. */
  roles: readonly ServiceRole[];
  region?: string;
}

export function usage(command: string): string {
  return [
    `usage: npm run ${command} -- --stage NAME [--role tiles|image] [--region REGION]`,
    "  --stage   the SST stage that was deployed (e.g. prod, staging, alice)",
    "  --role    only the tile or only the image function (default: both)",
    "  --region  AWS region (default: AWS_REGION, then your AWS config)",
  ].join("\n");
}

export function parseReleaseArgs(argv: readonly string[]): ReleaseArgs {
  let values: { stage?: string; role?: string; region?: string };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: { stage: { type: "string" }, role: { type: "string" }, region: { type: "string" } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (!values.stage) throw new UsageError("--stage is required");
  try {
    assertStageName(values.stage);
  } catch (error) {
    if (error instanceof StageNameError) throw new UsageError(`--stage: ${error.message}`);
    throw error;
  }
  let roles: readonly ServiceRole[] = SERVICE_ROLES;
  if (values.role !== undefined) {
    if (!(SERVICE_ROLES as readonly string[]).includes(values.role)) {
      throw new UsageError(`--role must be one of ${SERVICE_ROLES.join(", ")}; got ${JSON.stringify(values.role)}`);
    }
    roles = [values.role as ServiceRole];
  }
  return { stage: values.stage, roles, region: values.region };
}
