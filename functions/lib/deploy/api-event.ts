import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { apiGatewayEvent } from "../api-event";

const HOOK_API_ID = "pre-traffic-hook";

/** True for the requests `apiGatewayGet` builds: the hook's own, never a client's (API Gateway sets its real id). */
export function isPreTrafficHookRequest(event: APIGatewayProxyEventV2): boolean {
  return event.requestContext?.apiId === HOOK_API_ID;
}

/**
 * The hook's `GET target` request, shaped like the one API Gateway's HTTP API sends, so the
 * version under test runs the same code path as for real traffic.
 */
export function apiGatewayGet(target: string, now = new Date()): APIGatewayProxyEventV2 {
  return apiGatewayEvent({
    target,
    apiId: HOOK_API_ID,
    headers: { "user-agent": "fractile-pre-traffic-hook", accept: "*/*" },
    requestId: `pre-traffic-${now.getTime()}-${target}`,
    now,
  });
}
