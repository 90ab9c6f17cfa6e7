import { describe, expect, it } from "vitest";
import { EXPORT_LIMITS } from "../packages/export/index";
import { flagOf, parseExportArgs, UsageError } from "./export-args";

const ZOOM = ["--kind", "zoom", "--re", "-0.75", "--im", "0.1", "--to-zoom", "8"];

function usageError(argv: string[]): string {
  try {
    parseExportArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
  throw new Error(`${argv.join(" ")} was accepted`);
}

describe("parseExportArgs", () => {
  it("fills a zoom sequence's defaults and reads negative values after a flag", () => {
    const { spec } = parseExportArgs([...ZOOM, "--from-zoom", "-1"]);
    expect(spec).toMatchObject({ kind: "zoom", re: "-0.75", im: "0.1", fromZoom: -1, toZoom: 8, frames: 120 });
    expect(spec.width * spec.height).toBeGreaterThan(0);
    expect(parseExportArgs(["--re", "-1.25", "--zoom", "2"]).spec).toMatchObject({ kind: "poster", re: "-1.25" });
  });

  it("passes --format to a zoom sequence's frames", () => {
    expect(parseExportArgs(ZOOM).spec.format).toBe("png");
    for (const format of EXPORT_LIMITS.formats)
      expect(parseExportArgs([...ZOOM, "--format", format]).spec).toMatchObject({ kind: "zoom", format });
    expect(usageError([...ZOOM, "--format", "gif"])).toMatch(/^--format: must be one of /);
  });

  it("keeps the poster's defaults when no kind is given", () => {
    const { spec, out, json } = parseExportArgs(["--width", "512", "--height", "256", "--out", "p.png", "--json"]);
    expect(spec).toMatchObject({ kind: "poster", width: 512, height: 256 });
    // With no flags at all the default poster is one the workers can render: the whole set.
    expect(parseExportArgs([]).spec).toMatchObject({ kind: "poster", zoom: 4, width: 4096, height: 4096 });
    expect([out, json]).toEqual(["p.png", true]);
  });

  it("names the flag, not the JSON field, when the spec refuses a value", () => {
    expect(usageError([...ZOOM, "--frames", String(EXPORT_LIMITS.maxFrames + 1)])).toMatch(/^--frames: /);
    expect(usageError([...ZOOM, "--from-zoom", "deep"])).toMatch(/^--from-zoom: /);
    expect(usageError([...ZOOM, "--width", String(EXPORT_LIMITS.partMaxSide + 1)])).toMatch(/^--width: /);
    expect(usageError(["--width", "wide"])).toMatch(/^--width: /);
    expect(usageError(["--palette", "neon"])).toMatch(/^--palette: /);
  });

  it("refuses flags of the other kind, missing targets and unknown flags by name", () => {
    expect(usageError(["--frames", "10"])).toMatch(/^--frames: .*--kind zoom/);
    expect(usageError([...ZOOM, "--zoom", "3"])).toMatch(/^--zoom: /);
    expect(usageError(["--kind", "zoom", "--re", "-0.75", "--im", "0.1"])).toMatch(/^--to-zoom: /);
    expect(usageError(["--kind", "movie"])).toMatch(/^--kind: /);
    expect(usageError([...ZOOM, "--frame", "3"])).toContain("--frame");
  });

  it("spells camelCase fields as kebab-case flags", () => {
    expect(flagOf("fromZoom")).toBe("--from-zoom");
    expect(flagOf("width")).toBe("--width");
  });
});
