/**
 * The one builder of API Gateway HTTP API events (payload format 2.0): the local server, the
 * pre-traffic hook and the tests hand the handlers exactly what API Gateway would.
 */
import { randomUUID } from "node:crypto";
import type { APIGatewayProxyEventV2 } from "aws-lambda";

export interface ApiRequest {
  /** Default GET; upper-cased like API Gateway does. */
  method?: string;
  /** The request target as on the request line: the raw path, optionally with `?query`. */
  target: string;
  /** Names are lower-cased; repeated headers (arrays) joined with commas. */
  headers?: Readonly<Record<string, string | readonly string[] | undefined>>;
  protocol?: string;
  sourceIp?: string;
  /** The API's id in the request context; the pre-traffic hook marks its own requests with it. */
  apiId?: string;
  /** Default: a random UUID, as API Gateway gives every request its own. */
  requestId?: string;
  now?: Date;
  /** The request body; sent base64-encoded as API Gateway does for bodies it does not treat as text. */
  body?: Uint8Array;
}

export function apiGatewayEvent(request: ApiRequest): APIGatewayProxyEventV2 {
  const { target } = request;
  const queryStart = target.indexOf("?");
  const rawPath = queryStart === -1 ? target : target.slice(0, queryStart);
  const rawQueryString = queryStart === -1 ? "" : target.slice(queryStart + 1);
  const method = (request.method ?? "GET").toUpperCase();
  const now = request.now ?? new Date();

  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers ?? {})) {
    if (value !== undefined) headers[name.toLowerCase()] = typeof value === "string" ? value : value.join(",");
  }
  const queryStringParameters = parseQuery(rawQueryString);

  return {
    version: "2.0",
    routeKey: "$default",
    rawPath,
    rawQueryString,
    headers,
    ...(queryStringParameters ? { queryStringParameters } : {}),
    requestContext: {
      accountId: "fractile",
      apiId: request.apiId ?? "fractile",
      domainName: headers.host ?? "localhost",
      domainPrefix: (headers.host ?? "localhost").split(".")[0],
      http: {
        method,
        path: rawPath,
        protocol: request.protocol ?? "HTTP/1.1",
        sourceIp: request.sourceIp ?? "127.0.0.1",
        userAgent: headers["user-agent"] ?? "",
      },
      requestId: request.requestId ?? randomUUID(),
      routeKey: "$default",
      stage: "$default",
      time: now.toISOString(),
      timeEpoch: now.getTime(),
    },
    ...(request.body && request.body.byteLength > 0 ? { body: Buffer.from(request.body).toString("base64") } : {}),
    isBase64Encoded: request.body !== undefined && request.body.byteLength > 0,
  };
}

/**
 * Like API Gateway: names and values percent-decoded, repeated names joined
 * with commas, undefined when there is no query. Malformed escapes are kept
 * literally rather than failing the whole request here.
 */
function parseQuery(raw: string): Record<string, string> | undefined {
  if (raw === "") return undefined;
  // No prototype: a parameter named "__proto__" must stay an ordinary entry.
  const out: Record<string, string> = Object.create(null);
  for (const pair of raw.split("&")) {
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    const name = decodeLenient(eq === -1 ? pair : pair.slice(0, eq));
    const value = decodeLenient(eq === -1 ? "" : pair.slice(eq + 1));
    out[name] = Object.hasOwn(out, name) ? `${out[name]},${value}` : value;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function decodeLenient(text: string): string {
  const spaced = text.replace(/\+/g, " ");
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}
