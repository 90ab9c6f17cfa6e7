import { describe, expect, it } from "vitest";
import { parseGoTo } from "./go-to";

const limits = { minZoom: 0, maxZoom: 44, palettes: ["classic"], maxCoordinateChars: 1024 };

describe("go-to box", () => {
  it("reads pasted re, im and zoom, whitespace and all", () => {
    expect(parseGoTo(" -0.743643887037151 ", "0.13182590420533\n", "30", limits)).toEqual({
      center: { re: -0.743643887037151, im: 0.13182590420533 },
      exact: { re: "-0.743643887037151", im: "0.13182590420533" },
      zoom: 30,
    });
  });

  it("keeps every digit of a pasted deep centre, and zooms as deep as the server", () => {
    const re = `-0.7436438870371588707780645${"1234567890".repeat(70)}`;
    const im = `0.1318259042053122928210973${"9876543210".repeat(70)}`;
    const view = parseGoTo(re, im, "2400", { ...limits, maxZoom: 2400 });
    expect(view?.exact).toEqual({ re, im });
    expect(view?.zoom).toBe(2400);
    // Longer than the server takes: refused rather than sent on.
    expect(parseGoTo(`${re}${"1".repeat(400)}`, im, "2400", { ...limits, maxZoom: 2400 })).toBeUndefined();
  });

  it("clamps the zoom to the viewer's range and refuses what is not a number", () => {
    expect(parseGoTo("-0.75", "0.1", "2000", limits)?.zoom).toBe(44);
    expect(parseGoTo("abc", "0.1", "3", limits)).toBeUndefined();
    expect(parseGoTo("-0.75", "0.1", "", limits)).toBeUndefined();
  });
});
