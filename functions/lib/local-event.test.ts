import type { IncomingMessage } from "node:http";
import { Socket } from "node:net";
import { describe, expect, it } from "vitest";
import { toApiGatewayEvent } from "./local-event";

function request(method: string, url: string, headers: Record<string, string> = {}): IncomingMessage {
  return { method, url, headers, httpVersion: "1.1", socket: new Socket() } as unknown as IncomingMessage;
}

describe("toApiGatewayEvent", () => {
  it("splits path and query like API Gateway's payload 2.0", () => {
    const event = toApiGatewayEvent(request("get", "/render.png?re=-0.5&width=10&width=20&palette=a%20b&flag", { "If-None-Match": '"x"' }));
    expect(event.version).toBe("2.0");
    expect(event.rawPath).toBe("/render.png");
    expect(event.rawQueryString).toBe("re=-0.5&width=10&width=20&palette=a%20b&flag");
    expect(event.requestContext.http.method).toBe("GET");
    expect(event.headers["if-none-match"]).toBe('"x"');
    expect({ ...event.queryStringParameters }).toEqual({ re: "-0.5", width: "10,20", palette: "a b", flag: "" });
  });

  it("keeps the path raw (still percent-encoded) and has no query parameters without a query", () => {
    const event = toApiGatewayEvent(request("HEAD", "/tiles/%2e%2e/x"));
    expect(event.rawPath).toBe("/tiles/%2e%2e/x");
    expect(event.queryStringParameters).toBeUndefined();
  });

  it("treats hostile parameter names as plain entries and tolerates malformed escapes", () => {
    const params = toApiGatewayEvent(request("GET", "/x?__proto__=1&constructor=2&bad=%zz")).queryStringParameters!;
    expect(Object.keys(params).sort()).toEqual(["__proto__", "bad", "constructor"]);
    expect(params.__proto__).toBe("1");
    expect(params.bad).toBe("%zz");
  });
});
