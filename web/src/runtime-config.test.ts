import { describe, expect, it } from "vitest";
import { parseRuntimeConfig } from "./runtime-config";

describe("config.json", () => {
  it("defaults to the same origin", () => {
    expect(parseRuntimeConfig({})).toEqual({ apiBase: "" });
    expect(parseRuntimeConfig({ apiBase: "" })).toEqual({ apiBase: "" });
  });

  it("takes an API/CDN base without its trailing slash", () => {
    expect(parseRuntimeConfig({ apiBase: "https://d111.cloudfront.net/" })).toEqual({
      apiBase: "https://d111.cloudfront.net",
    });
  });

  it("rejects what would silently send requests somewhere odd", () => {
    expect(() => parseRuntimeConfig([1])).toThrow(/object/);
    expect(() => parseRuntimeConfig(null)).toThrow(/object/);
    expect(() => parseRuntimeConfig({ apiBase: 3 })).toThrow(/string/);
    expect(() => parseRuntimeConfig({ apiBase: "d111.cloudfront.net" })).toThrow(/http/);
  });
});
