/**
 * Building API Gateway (payload 2.0) results and reading requests.
 * Every error leaves as JSON `{ error, detail }`, never cached.
 */
import { createHash } from "node:crypto";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { ITERATIONS_HEADER } from "../../packages/cache/index";

export type HttpResult = APIGatewayProxyStructuredResultV2 & { statusCode: number; headers: Record<string, string> };

/** A client mistake, thrown anywhere below a handler and answered as a 4xx. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    readonly detail: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(`${code}: ${detail}`);
    this.name = "HttpError";
  }
}

const NO_STORE = "no-store";

/** Tiles and cached objects: a URL names one render version, so its bytes never change. */
export const TILE_CACHE_CONTROL = "public, max-age=31536000, immutable";

export function jsonResponse(statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResult {
  return {
    statusCode,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": NO_STORE, ...headers },
    body: JSON.stringify(body),
  };
}

export function errorResponse(error: HttpError): HttpResult {
  return jsonResponse(error.statusCode, { error: error.code, detail: error.detail }, error.headers);
}

export function internalErrorResponse(): HttpResult {
  return jsonResponse(500, {
    error: "internal_error",
    detail: "the server failed to handle this request; it has been logged",
  });
}

/** Binary body for API Gateway: base64 with the flag set; HEAD gets headers only. */
export function binaryResponse(bytes: Uint8Array, headers: Record<string, string>, method: string): HttpResult {
  const withLength = { ...headers, "content-length": String(bytes.byteLength) };
  if (method === "HEAD") return { statusCode: 200, headers: withLength, body: "", isBase64Encoded: false };
  return {
    statusCode: 200,
    headers: withLength,
    body: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64"),
    isBase64Encoded: true,
  };
}

/**
 * Last touch on every response: HEAD gets the headers GET would get and no
 * body (errors included), and everything may be read cross-origin (a public,
 * read-only API without credentials; a viewer on another host needs /meta).
 */
export function finalizeResponse(result: HttpResult, method: string): HttpResult {
  // Expose-Headers: a viewer on another host may read the budget a tile was rendered with.
  const headers = {
    ...result.headers,
    "access-control-allow-origin": "*",
    "access-control-expose-headers": `etag, ${ITERATIONS_HEADER}`,
  };
  return method === "HEAD" && result.body
    ? { ...result, headers, body: "", isBase64Encoded: false }
    : { ...result, headers };
}

export function notModifiedResponse(headers: Record<string, string>): HttpResult {
  return { statusCode: 304, headers, body: "" };
}

/**
 * Strong validator: the bytes' MD5, quoted as RFC 9110 requires. MD5 because
 * that is the ETag S3 itself gives an object written in one PUT (SSE-S3 or
 * unencrypted), and CloudFront serves tiles from S3 and from this handler
 * alike: one ETag per tile keeps browsers' If-None-Match working whichever
 * origin answered. An identifier of bytes, not a security measure.
 */
export function etagOf(bytes: Uint8Array): string {
  return `"${createHash("md5").update(bytes).digest("hex")}"`;
}

/**
 * RFC 9110 weak comparison for If-None-Match: a list of entity tags, `W/`
 * prefixes ignored, `*` matches any current representation.
 */
export function ifNoneMatchMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  const wanted = stripWeak(etag);
  return header.split(",").some((candidate) => {
    const tag = candidate.trim();
    return tag === "*" || stripWeak(tag) === wanted;
  });
}

function stripWeak(tag: string): string {
  return tag.startsWith("W/") ? tag.slice(2) : tag;
}

/** Header lookup that tolerates any capitalisation (API Gateway lowercases; tests and adapters may not). */
export function headerOf(event: APIGatewayProxyEventV2, name: string): string | undefined {
  const headers = event.headers ?? {};
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === lower) return value;
  }
  return undefined;
}

export function methodOf(event: APIGatewayProxyEventV2): string {
  return (event.requestContext?.http?.method ?? "GET").toUpperCase();
}

/**
 * Splits the raw path into percent-decoded segments. Decoding per segment
 * keeps an encoded slash (`%2F`) inside its segment instead of creating a
 * new one, so it can never change which route a request takes.
 */
export function pathSegments(rawPath: string): string[] {
  if (!rawPath.startsWith("/")) throw new HttpError(400, "bad_path", "the path must start with '/'");
  const segments = rawPath.slice(1).split("/");
  return segments.map((segment) => {
    try {
      return decodeURIComponent(segment);
    } catch {
      throw new HttpError(
        400,
        "bad_path",
        `the path segment ${JSON.stringify(segment.slice(0, 64))} is not valid percent-encoding`,
      );
    }
  });
}

/** Query parameters as API Gateway delivers them (repeated names joined by commas). */
export function queryOf(event: APIGatewayProxyEventV2): Record<string, string | undefined> {
  return event.queryStringParameters ?? {};
}
