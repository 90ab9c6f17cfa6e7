import { describe, expect, it } from "vitest";
import { HttpError, binaryResponse, etagOf, ifNoneMatchMatches, pathSegments } from "./http";

describe("etagOf", () => {
  it("is the quoted MD5 of the bytes, the ETag S3 gives a single-part upload", () => {
    // RFC 1321's test suite: MD5("abc") = 900150983cd24fb0d6963f7d28e17f72.
    expect(etagOf(new TextEncoder().encode("abc"))).toBe('"900150983cd24fb0d6963f7d28e17f72"');
    expect(etagOf(new Uint8Array([]))).toBe('"d41d8cd98f00b204e9800998ecf8427e"');
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
    for (const rawPath of ["/tiles/%E0%A4%A", "/%zz"]) {
      let thrown: unknown;
      try {
        pathSegments(rawPath);
      } catch (error) {
        thrown = error;
      }
      expect(thrown, rawPath).toBeInstanceOf(HttpError);
      expect(thrown).toMatchObject({ statusCode: 400, code: "bad_path" });
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
