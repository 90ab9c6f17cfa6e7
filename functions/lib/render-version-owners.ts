/**
 * Forwarding a tile request to the function version that owns its render
 * version, through the alias `rv-{renderVersion}` (see stacks/naming.ts).
 * During a release both function versions serve traffic at random; this is
 * how each still answers the other's tile URLs with the other's bytes.
 */
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { renderVersionAlias } from "../../stacks/naming";
import type { HttpResult } from "./http";
import type { OwnerRequestEvent } from "./internal-events";
import type { LambdaInvoker } from "./lambda-invoker";

export interface RenderVersionOwners {
  /** The owner's answer, or undefined when no version owns that render version (any more). */
  forward(renderVersion: string, request: APIGatewayProxyEventV2): Promise<HttpResult | undefined>;
}

/**
 * Render versions found to have no owner are remembered this long, so a
 * client asking for made-up versions costs one failed Invoke per version per
 * instance a minute, not one per request. A retired version never comes back,
 * and a new one is claimed before any traffic can name it.
 */
export const NO_OWNER_TTL_MS = 60_000;
/** Bounds the memory that made-up names can take; the oldest entry goes first. */
export const NO_OWNER_MAX_ENTRIES = 1000;

export function lambdaRenderVersionOwners(
  lambda: LambdaInvoker,
  functionName: string,
  now: () => number = Date.now,
): RenderVersionOwners {
  const noOwnerUntil = new Map<string, number>();
  const rememberNoOwner = (renderVersion: string) => {
    noOwnerUntil.delete(renderVersion);
    if (noOwnerUntil.size >= NO_OWNER_MAX_ENTRIES) noOwnerUntil.delete(noOwnerUntil.keys().next().value!);
    noOwnerUntil.set(renderVersion, now() + NO_OWNER_TTL_MS);
  };
  return {
    async forward(renderVersion, request) {
      const alias = renderVersionAlias(renderVersion);
      if (!alias) return undefined;
      if ((noOwnerUntil.get(renderVersion) ?? 0) > now()) return undefined;
      const payload: OwnerRequestEvent = { fractile: "owner-request", request };
      let response: Awaited<ReturnType<LambdaInvoker["invoke"]>>;
      try {
        const target = `${functionName}:${alias}`;
        response = await lambda.invoke({ FunctionName: target, Payload: Buffer.from(JSON.stringify(payload)) });
      } catch (error) {
        // No such alias: a render version nobody owns (made up, or retired by
        // the post-traffic hook). The client gets 404 and re-reads /meta.
        if ((error as { name?: string }).name === "ResourceNotFoundException") {
          rememberNoOwner(renderVersion);
          return undefined;
        }
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
