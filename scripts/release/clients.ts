import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { CodeDeployClient } from "@aws-sdk/client-codedeploy";
import { LambdaClient } from "@aws-sdk/client-lambda";

export interface ReleaseClients {
  lambda: LambdaClient;
  codedeploy: CodeDeployClient;
  cloudwatch: CloudWatchClient;
}

export function createReleaseClients(region?: string): ReleaseClients {
  const config = region ? { region } : {};
  return {
    lambda: new LambdaClient(config),
    codedeploy: new CodeDeployClient(config),
    cloudwatch: new CloudWatchClient(config),
  };
}
