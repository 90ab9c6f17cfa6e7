/**
 * Events only a direct Lambda invocation can deliver. API Gateway always
 * sends its own payload shape, so no HTTP client can produce these; the
 * handler still checks how it was invoked where that matters.
 */
import type { APIGatewayProxyEventV2, Context } from "aws-lambda";
import { isPublishedVersion } from "../../stacks/naming";

/**
 * The pre-traffic hook's request: render this tile path with the version's own
 * render core and return it, reading and writing no cache. Honoured only when
 * the invoked ARN names a published version (never an alias), so live traffic
 * can never bypass the cache this way.
 */
export interface SelfTestEvent {
  fractile: "self-test";
  path: string;
}

/**
 * A tile request forwarded by another function version through the alias
 * `rv-{renderVersion}`: answered like the HTTP request it wraps, except that
 * it is never forwarded again (a mis-pointed alias cannot loop).
 */
export interface OwnerRequestEvent {
  fractile: "owner-request";
  request: APIGatewayProxyEventV2;
}

function hasKind(event: unknown, kind: string): boolean {
  return typeof event === "object" && event !== null && (event as { fractile?: unknown }).fractile === kind;
}

export function isSelfTestEvent(event: unknown): event is SelfTestEvent {
  return hasKind(event, "self-test") && typeof (event as SelfTestEvent).path === "string";
}

export function isOwnerRequestEvent(event: unknown): event is OwnerRequestEvent {
  const request = (event as OwnerRequestEvent | undefined)?.request;
  return hasKind(event, "owner-request") && typeof request === "object" && request !== null;
}

export function selfTestEvent(path: string): SelfTestEvent {
  return { fractile: "self-test", path };
}

/** True when Lambda ran this invocation through a version ARN (`…:function:name:7`), not an alias or $LATEST. */
export function invokedAsPublishedVersion(context: Pick<Context, "invokedFunctionArn"> | undefined): boolean {
  const qualifier = context?.invokedFunctionArn?.split(":")[7];
  return isPublishedVersion(qualifier);
}
