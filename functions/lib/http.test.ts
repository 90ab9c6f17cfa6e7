import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { HttpError, binaryResponse, etagOf, ifNoneMatchMatches, pathSegments } from "./http";

describe("etagOf", () => {
  it("is the quoted MD5 of the bytes, the ETag S3 gives a single-part upload", () => {
    const bytes = new Uint8Array([1, 2, 3]);
    expect(etagOf(bytes)).toBe(`"${createHash("md5").update(bytes).digest("hex")}"`);
    expect(etagOf(new Uint8Array([1, 2, 4]))).not.toBe(etagOf(bytes));
  });
});

describe("ifNoneMatchMatches", () => {
  const etag = '"abc123"';
  it.each([
    ['"abc123"', true],
    ['W/"abc123"', true],
    ['"zzz", "abc123"', true],
    ['"zzz",W/"abc123" ,"yyy"', true],
    ["*", true],
    ['"abc12"', false],
    ["abc123", false],
    ['"zzz", "yyy"', false],
    ["", false],
  ])("If-None-Match %j → %s", (header, expected) => {
    expect(ifNoneMatchMatches(header, etag)).toBe(expected);
  });
  it("does not match without the header", () => {
    expect(ifNoneMatchMatches(undefined, etag)).toBe(false);
  });
});

describe("pathSegments", () => {
  it("decodes each segment on its own, so %2F never adds a segment", () => {
    expect(pathSegments("/tiles/a%2Fb/c")).toEqual(["tiles", "a/b", "c"]);
    expect(pathSegments("/")).toEqual([""]);
  });
  it("answers malformed percent-encoding with a 400", () => {
    expect(() => pathSegments("/tiles/%E0%A4%A")).toThrow(HttpError);
    try {
      pathSegments("/%zz");
    } catch (error) {
      expect((error as HttpError).statusCode).toBe(400);
    }
  });
});

describe("binaryResponse", () => {
  it("base64-encodes the body for API Gateway, and sends headers only for HEAD", () => {
    const bytes = new Uint8Array([0, 255, 10, 13]);
    const get = binaryResponse(bytes, { "content-type": "image/png" }, "GET");
    expect(get.isBase64Encoded).toBe(true);
    expect(Buffer.from(get.body!, "base64")).toEqual(Buffer.from(bytes));
    expect(get.headers["content-length"]).toBe("4");
    const head = binaryResponse(bytes, { "content-type": "image/png" }, "HEAD");
    expect(head.body).toBe("");
    expect(head.headers["content-length"]).toBe("4");
  });
});
