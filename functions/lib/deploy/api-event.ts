import type { APIGatewayProxyEventV2 } from "aws-lambda";

const HOOK_API_ID = "pre-traffic-hook";

/** True for the requests `apiGatewayGet` builds: the hook's own, never a client's (API Gateway sets its real id). */
export function isPreTrafficHookRequest(event: APIGatewayProxyEventV2): boolean {
  return event.requestContext?.apiId === HOOK_API_ID;
}

/**
 * A `GET path` request shaped like the one API Gateway's HTTP API sends
 * (payload format 2.0), so the version under test runs the same code path as
 * for real traffic.
 */
export function apiGatewayGet(path: string, now = new Date()): APIGatewayProxyEventV2 {
  const requestId = `pre-traffic-${now.getTime()}-${path}`;
  return {
    version: "2.0",
    routeKey: `GET ${path}`,
    rawPath: path,
    rawQueryString: "",
    headers: { "user-agent": "fractile-pre-traffic-hook", accept: "*/*" },
    isBase64Encoded: false,
    requestContext: {
      accountId: HOOK_API_ID,
      apiId: HOOK_API_ID,
      domainName: "pre-traffic-hook.invalid",
      domainPrefix: "pre-traffic-hook",
      http: { method: "GET", path, protocol: "HTTP/1.1", sourceIp: "127.0.0.1", userAgent: "fractile-pre-traffic-hook" },
      requestId,
      routeKey: `GET ${path}`,
      stage: "$default",
      time: now.toISOString(),
      timeEpoch: now.getTime(),
    },
  };
}
