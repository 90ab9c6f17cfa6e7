/**
 * The part of the AWS SDK's Lambda client that lambda-invoker.ts loads on first use: one module
 * importing only what Invoke needs, so the bundle keeps just that (a dynamic import of the
 * package itself would keep every command).
 */
import {
  InvokeCommand,
  LambdaClient,
  type InvokeCommandInput,
  type InvokeCommandOutput,
  type LambdaClientConfig,
} from "@aws-sdk/client-lambda";

export function createInvoke(config: LambdaClientConfig): (input: InvokeCommandInput) => Promise<InvokeCommandOutput> {
  const client = new LambdaClient(config);
  return (input) => client.send(new InvokeCommand(input));
}
