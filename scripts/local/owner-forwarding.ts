/**
 * The local stand-in for forwarding a tile to its render version's owner
 * (on Lambda: invoking alias `rv-{renderVersion}`, functions/lib/render-version-owners.ts).
 * With `FRACTILE_LOCAL_OWNER_URL` set, the local server sends a tile of a render
 * version it does not own to that URL, marked with the render version it needs
 * an owner for; `npm run rehearse` answers there from the process that owns it.
 * Unset (plain `npm start`), there is no other version to ask.
 */
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import type { HttpResult } from "../../functions/lib/http";
import type { RenderVersionOwners } from "../../functions/lib/render-version-owners";

export const OWNER_URL_ENV = "FRACTILE_LOCAL_OWNER_URL";
/** Request header naming the render version whose owner must answer; `none` in the answer: nobody owns it. */
export const OWNER_HEADER = "x-fractile-owner-of";
export const NO_OWNER = "none";

/** Headers of the owner's answer that belong to the tile (the rest is hop-by-hop or recomputed). */
const KEPT = ["content-type", "cache-control", "etag", "access-control-allow-origin"];

export function httpRenderVersionOwners(ownerUrl: string): RenderVersionOwners {
  return {
    async forward(renderVersion: string, request: APIGatewayProxyEventV2): Promise<HttpResult | undefined> {
      const target = new URL(request.rawPath + (request.rawQueryString ? `?${request.rawQueryString}` : ""), ownerUrl);
      const response = await fetch(target, { headers: { [OWNER_HEADER]: renderVersion } });
      const body = Buffer.from(await response.arrayBuffer());
      if (response.headers.get(OWNER_HEADER) === NO_OWNER) return undefined;
      const headers: Record<string, string> = {};
      for (const name of KEPT) {
        const value = response.headers.get(name);
        if (value !== null) headers[name] = value;
      }
      return { statusCode: response.status, headers, body: body.toString("base64"), isBase64Encoded: true };
    },
  };
}

export function ownersFromEnv(env: NodeJS.ProcessEnv = process.env): RenderVersionOwners | undefined {
  const url = env[OWNER_URL_ENV]?.trim();
  return url ? httpRenderVersionOwners(url) : undefined;
}
