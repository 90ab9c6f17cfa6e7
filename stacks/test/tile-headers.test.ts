import { describe, expect, it } from "vitest";
import { TILE_HEADERS_FUNCTION_CODE } from "../parts/tile-headers";

type Headers = Record<string, { value: string }>;
const handler = new Function(`${TILE_HEADERS_FUNCTION_CODE}; return handler;`)() as (event: {
  response: { statusCode: number; headers: Headers };
}) => { statusCode: number; headers: Headers };

describe("CloudFront tile response function", () => {
  it("copies the budget S3 sends as x-amz-meta-fractile-iterations to x-fractile-iterations", () => {
    const response = handler({
      response: { statusCode: 200, headers: { "x-amz-meta-fractile-iterations": { value: "4467" } } },
    });
    expect(response.headers["x-fractile-iterations"]).toEqual({ value: "4467" });
    expect(response.statusCode).toBe(200);
  });

  it("leaves API responses (already carrying the header) and objects without metadata alone", () => {
    const fromApi = { "x-fractile-iterations": { value: "1000" } };
    expect(handler({ response: { statusCode: 200, headers: { ...fromApi } } }).headers).toEqual(fromApi);
    expect(handler({ response: { statusCode: 404, headers: {} } }).headers).toEqual({});
  });
});
