/**
 * The local server's adapter: a node:http request becomes the API Gateway
 * event Lambda receives, and a payload 2.0 result is written back.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { apiGatewayEvent } from "./api-event";

export function toApiGatewayEvent(req: IncomingMessage, body?: Uint8Array): APIGatewayProxyEventV2 {
  return apiGatewayEvent({
    method: req.method,
    target: req.url ?? "/",
    headers: req.headers,
    protocol: `HTTP/${req.httpVersion}`,
    sourceIp: req.socket.remoteAddress ?? "",
    body,
  });
}

export function writeResult(res: ServerResponse, result: APIGatewayProxyStructuredResultV2, method: string): void {
  const encoding = result.isBase64Encoded ? "base64" : "utf8";
  const body = result.body === undefined ? Buffer.alloc(0) : Buffer.from(result.body, encoding);
  res.statusCode = result.statusCode ?? 200;
  for (const [name, value] of Object.entries(result.headers ?? {})) res.setHeader(name, String(value));
  if (result.cookies?.length) res.setHeader("set-cookie", result.cookies);
  const noBody = method === "HEAD" || res.statusCode === 304 || res.statusCode === 204;
  if (!res.hasHeader("content-length") && !noBody) res.setHeader("content-length", body.byteLength);
  res.end(noBody ? undefined : body);
}
