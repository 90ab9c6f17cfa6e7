/**
 * The local server's adapter: a node:http request becomes the same API
 * Gateway HTTP API event (payload 2.0) Lambda receives, and a 2.0 result is
 * written back. The request body is ignored: every route is GET or HEAD.
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";

export function toApiGatewayEvent(req: IncomingMessage): APIGatewayProxyEventV2 {
  const target = req.url ?? "/";
  const queryStart = target.indexOf("?");
  const rawPath = queryStart === -1 ? target : target.slice(0, queryStart);
  const rawQueryString = queryStart === -1 ? "" : target.slice(queryStart + 1);
  const method = (req.method ?? "GET").toUpperCase();
  const now = new Date();

  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(",") : value;
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
      accountId: "local",
      apiId: "local",
      domainName: headers.host ?? "localhost",
      domainPrefix: "localhost",
      http: { method, path: rawPath, protocol: `HTTP/${req.httpVersion}`, sourceIp: req.socket.remoteAddress ?? "", userAgent: headers["user-agent"] ?? "" },
      requestId: randomUUID(),
      routeKey: "$default",
      stage: "$default",
      time: now.toISOString(),
      timeEpoch: now.getTime(),
    },
    isBase64Encoded: false,
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

export function writeResult(res: ServerResponse, result: APIGatewayProxyStructuredResultV2, method: string): void {
  const body = result.body === undefined ? Buffer.alloc(0) : Buffer.from(result.body, result.isBase64Encoded ? "base64" : "utf8");
  res.statusCode = result.statusCode ?? 200;
  for (const [name, value] of Object.entries(result.headers ?? {})) res.setHeader(name, String(value));
  if (result.cookies?.length) res.setHeader("set-cookie", result.cookies);
  const noBody = method === "HEAD" || res.statusCode === 304 || res.statusCode === 204;
  if (!res.hasHeader("content-length") && !noBody) res.setHeader("content-length", body.byteLength);
  res.end(noBody ? undefined : body);
}
