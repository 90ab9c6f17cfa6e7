import type { IncomingMessage } from "node:http";
import { Socket } from "node:net";
import { describe, expect, it } from "vitest";
import { apiGatewayEvent } from "./api-event";
import { toApiGatewayEvent } from "./local-event";

function request(method: string, url: string, headers: Record<string, string> = {}): IncomingMessage {
  return { method, url, headers, httpVersion: "1.1", socket: new Socket() } as unknown as IncomingMessage;
}

describe("apiGatewayEvent", () => {
  it("splits path and query like API Gateway's payload 2.0", () => {
    const event = apiGatewayEvent({
      method: "get",
      target: "/render.png?re=-0.5&width=10&width=20&palette=a%20b&flag",
      headers: { "If-None-Match": '"x"', Accept: ["image/png", "*/*"] },
    });
    expect(event.version).toBe("2.0");
    expect(event.rawPath).toBe("/render.png");
    expect(event.rawQueryString).toBe("re=-0.5&width=10&width=20&palette=a%20b&flag");
    expect(event.requestContext.http.method).toBe("GET");
    expect(event.requestContext.http.path).toBe("/render.png");
    expect(event.headers).toEqual({ "if-none-match": '"x"', accept: "image/png,*/*" });
    expect({ ...event.queryStringParameters }).toEqual({ re: "-0.5", width: "10,20", palette: "a b", flag: "" });
  });

  it("keeps the path raw (still percent-encoded) and has no query parameters without a query", () => {
    const event = apiGatewayEvent({ method: "HEAD", target: "/tiles/%2e%2e/x" });
    expect(event.rawPath).toBe("/tiles/%2e%2e/x");
    expect(event.queryStringParameters).toBeUndefined();
    expect("queryStringParameters" in event).toBe(false);
  });

  it("treats hostile parameter names as plain entries and tolerates malformed escapes", () => {
    const params = apiGatewayEvent({ target: "/x?__proto__=1&constructor=2&bad=%zz" }).queryStringParameters!;
    expect(Object.keys(params).sort()).toEqual(["__proto__", "bad", "constructor"]);
    // biome-ignore lint/suspicious/noProto: the query key "__proto__" must stay a plain own property
    expect(params.__proto__).toBe("1");
    expect(params.bad).toBe("%zz");
  });

  it("gives every request its own id unless one is given, and stamps the given time", () => {
    const now = new Date("2026-01-02T03:04:05.678Z");
    const [a, b] = [apiGatewayEvent({ target: "/health" }), apiGatewayEvent({ target: "/health" })];
    expect(a.requestContext.requestId).not.toBe(b.requestContext.requestId);
    const fixed = apiGatewayEvent({ target: "/health", requestId: "r-1", now });
    expect(fixed.requestContext).toMatchObject({ requestId: "r-1", time: now.toISOString(), timeEpoch: now.getTime() });
  });
});

describe("toApiGatewayEvent (local server)", () => {
  it("carries a node:http request's method, target, headers and protocol", () => {
    const event = toApiGatewayEvent(request("get", "/meta?x=1", { Host: "localhost:3000", "User-Agent": "curl" }));
    expect(event).toMatchObject({ rawPath: "/meta", rawQueryString: "x=1", queryStringParameters: { x: "1" } });
    expect(event.requestContext.http).toMatchObject({ method: "GET", protocol: "HTTP/1.1", userAgent: "curl" });
    expect(event.requestContext.domainName).toBe("localhost:3000");
  });
});
