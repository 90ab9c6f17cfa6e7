import type { APIGatewayProxyEventV2 } from "aws-lambda";

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
      accountId: "pre-traffic-hook",
      apiId: "pre-traffic-hook",
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
