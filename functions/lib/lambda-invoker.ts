/**
 * Lambda Invoke with the AWS SDK's Lambda client loaded on first use. The tile function needs it
 * only off the tile path (warm-up fan-out) or rarely on it (another render version's tile), so a
 * cold start does not pay to load it (`npm run bench:bundle` measures the import).
 */
import type { InvokeCommandInput, InvokeCommandOutput, LambdaClientConfig } from "@aws-sdk/client-lambda";

export interface LambdaInvoker {
  invoke(input: InvokeCommandInput): Promise<InvokeCommandOutput>;
}

export function lazyLambdaInvoker(config: LambdaClientConfig = {}): LambdaInvoker {
  let loaded: Promise<(input: InvokeCommandInput) => Promise<InvokeCommandOutput>> | undefined;
  return {
    async invoke(input) {
      loaded ??= import("./lambda-sdk").then(({ createInvoke }) => createInvoke(config));
      return (await loaded)(input);
    },
  };
}
