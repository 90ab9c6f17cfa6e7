/**
 * Forwarding a tile request to the function version that owns its render
 * version, through the alias `rv-{renderVersion}` (see stacks/naming.ts).
 * During a release both function versions serve traffic at random; this is
 * how each still answers the other's tile URLs with the other's bytes.
 */
import { InvokeCommand, type LambdaClient } from "@aws-sdk/client-lambda";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { renderVersionAlias } from "../../stacks/naming";
import type { HttpResult } from "./http";
import type { OwnerRequestEvent } from "./internal-events";

export interface RenderVersionOwners {
  /** The owner's answer, or undefined when no version owns that render version (any more). */
  forward(renderVersion: string, request: APIGatewayProxyEventV2): Promise<HttpResult | undefined>;
}

export function lambdaRenderVersionOwners(client: LambdaClient, functionName: string): RenderVersionOwners {
  return {
    async forward(renderVersion, request) {
      const alias = renderVersionAlias(renderVersion);
      if (!alias) return undefined;
      const payload: OwnerRequestEvent = { fractile: "owner-request", request };
      let response;
      try {
        response = await client.send(
          new InvokeCommand({ FunctionName: `${functionName}:${alias}`, Payload: Buffer.from(JSON.stringify(payload)) }),
        );
      } catch (error) {
        // No such alias: a render version nobody owns (made up, or retired by
        // the post-traffic hook). The client gets 404 and re-reads /meta.
        if ((error as { name?: string }).name === "ResourceNotFoundException") return undefined;
        throw error;
      }
      const text = response.Payload ? Buffer.from(response.Payload).toString("utf8") : "";
      if (response.FunctionError) {
        throw new Error(`owner ${functionName}:${alias} failed (${response.FunctionError}): ${text.slice(0, 300)}`);
      }
      return JSON.parse(text) as HttpResult;
    },
  };
}
