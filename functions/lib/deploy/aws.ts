/** The hook's ports implemented with the AWS SDK; nothing else in the hook imports it. */
import { type CodeDeployClient, PutLifecycleEventHookExecutionStatusCommand } from "@aws-sdk/client-codedeploy";
import {
  CreateAliasCommand,
  DeleteAliasCommand,
  DeleteFunctionCommand,
  GetAliasCommand,
  InvokeCommand,
  type LambdaClient,
  ListAliasesCommand,
  ListVersionsByFunctionCommand,
  UpdateAliasCommand,
} from "@aws-sdk/client-lambda";
import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import type { AliasInfo, FunctionAdmin, LifecycleReporter, VersionInvoker } from "./ports";

/**
 * Invokes exactly the given version ARN (never the alias, which still serves
 * the old version); the function sees that ARN as `invokedFunctionArn`, which
 * is what lets it honour the self-test.
 */
export function lambdaVersionInvoker(client: LambdaClient, versionArn: string): VersionInvoker {
  return {
    async invoke(event) {
      const response = await client.send(
        new InvokeCommand({ FunctionName: versionArn, Payload: Buffer.from(JSON.stringify(event)) }),
      );
      const text = response.Payload ? Buffer.from(response.Payload).toString("utf8") : "";
      if (response.FunctionError) {
        throw new Error(`${versionArn} failed (${response.FunctionError}): ${text.slice(0, 500)}`);
      }
      return JSON.parse(text) as APIGatewayProxyStructuredResultV2;
    },
  };
}

export function codeDeployReporter(client: CodeDeployClient): LifecycleReporter {
  return {
    async report(event, status) {
      await client.send(
        new PutLifecycleEventHookExecutionStatusCommand({
          deploymentId: event.DeploymentId,
          lifecycleEventHookExecutionId: event.LifecycleEventHookExecutionId,
          status,
        }),
      );
    },
  };
}

const isNotFound = (error: unknown) => (error as { name?: string }).name === "ResourceNotFoundException";

/** The function name inside a qualified or unqualified function ARN. */
export function functionNameOfArn(arn: string): string {
  const name = arn.split(":")[6];
  if (!name) throw new Error(`not a Lambda function ARN: ${arn}`);
  return name;
}

/** Aliases and versions of one function through the Lambda API (both listings page through every marker). */
export function lambdaFunctionAdmin(client: LambdaClient, functionName: string): FunctionAdmin {
  return {
    async aliasVersion(name) {
      try {
        return (await client.send(new GetAliasCommand({ FunctionName: functionName, Name: name }))).FunctionVersion;
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    },
    async putAlias(name, version) {
      try {
        await client.send(new UpdateAliasCommand({ FunctionName: functionName, Name: name, FunctionVersion: version }));
      } catch (error) {
        if (!isNotFound(error)) throw error;
        await client.send(new CreateAliasCommand({ FunctionName: functionName, Name: name, FunctionVersion: version }));
      }
    },
    async listAliases() {
      const aliases: AliasInfo[] = [];
      let marker: string | undefined;
      do {
        const page = await client.send(new ListAliasesCommand({ FunctionName: functionName, Marker: marker }));
        for (const alias of page.Aliases ?? []) {
          if (!alias.Name || !alias.FunctionVersion) continue;
          const additionalVersions = Object.keys(alias.RoutingConfig?.AdditionalVersionWeights ?? {});
          aliases.push({ name: alias.Name, version: alias.FunctionVersion, additionalVersions });
        }
        marker = page.NextMarker;
      } while (marker);
      return aliases;
    },
    async listVersions() {
      const versions: string[] = [];
      let marker: string | undefined;
      do {
        const page = await client.send(
          new ListVersionsByFunctionCommand({ FunctionName: functionName, Marker: marker }),
        );
        for (const v of page.Versions ?? []) if (v.Version && v.Version !== "$LATEST") versions.push(v.Version);
        marker = page.NextMarker;
      } while (marker);
      return versions;
    },
    async deleteAlias(name) {
      await client.send(new DeleteAliasCommand({ FunctionName: functionName, Name: name }));
    },
    async deleteVersion(version) {
      // Always qualified: an unqualified DeleteFunction would delete the
      // whole function (and the hook's role is only granted qualified ARNs).
      if (!/^[1-9][0-9]*$/.test(version))
        throw new Error(`refusing to delete ${JSON.stringify(version)}: not a published version`);
      await client.send(new DeleteFunctionCommand({ FunctionName: functionName, Qualifier: version }));
    },
  };
}
