/** The hook's ports implemented with the AWS SDK; nothing else in the hook imports it. */
import {
  CodeDeployClient,
  PutLifecycleEventHookExecutionStatusCommand,
} from "@aws-sdk/client-codedeploy";
import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import type { LifecycleReporter, VersionInvoker } from "./ports";

/** Invokes exactly the given version ARN (never the alias, which still serves the old version). */
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
