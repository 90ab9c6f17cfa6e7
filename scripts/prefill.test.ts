import { spawnSync } from "node:child_process";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_PALETTE, MAX_ZOOM, RENDER_VERSION } from "../packages/render/index";
import { UsageError, parsePrefillArgs } from "./prefill";

describe("prefill arguments", () => {
  it("defaults to z0, the default palette and 1x", () => {
    expect(parsePrefillArgs(["--max-zoom", "3"])).toEqual({
      minZoom: 0,
      maxZoom: 3,
      palette: DEFAULT_PALETTE,
      scale: 1,
    });
    expect(parsePrefillArgs(["--max-zoom", "5", "--min-zoom", "4", "--palette", "magma", "--scale", "2"])).toEqual({
      minZoom: 4,
      maxZoom: 5,
      palette: "magma",
      scale: 2,
    });
  });

  it.each([
    [[], "--max-zoom is required"],
    [["--max-zoom", "x"], "--max-zoom must be a whole number"],
    [["--max-zoom", String(MAX_ZOOM + 1)], "--max-zoom must be a whole number"],
    [["--max-zoom", "2", "--min-zoom", "3"], "must not exceed"],
    [["--max-zoom", "2", "--palette", "rainbow"], "--palette must be one of"],
    [["--max-zoom", "2", "--scale", "3"], "--scale must be 1 or 2"],
    [["--max-zoom", "14"], "over the limit"],
    [["--max-zoom", "2", "--bogus"], "bogus"],
  ])("%j is a usage error mentioning %j", (argv, message) => {
    expect(() => parsePrefillArgs(argv)).toThrow(UsageError);
    expect(() => parsePrefillArgs(argv)).toThrow(message);
  });
});

describe("npm run prefill (the script)", () => {
  let cacheDir: string;
  beforeAll(async () => {
    cacheDir = await mkdtemp(path.join(os.tmpdir(), "fractile-prefill-"));
  });
  afterAll(async () => {
    await rm(cacheDir, { recursive: true, force: true });
  });

  const prefill = (...args: string[]) =>
    spawnSync(process.execPath, ["--import", "tsx", "scripts/prefill.ts", ...args], {
      env: { ...process.env, TILE_CACHE_DIR: cacheDir, TILE_BUCKET: "" },
      encoding: "utf8",
    });

  it("renders a zoom range into the cache, then skips what is there", async () => {
    const first = prefill("--max-zoom", "1", "--palette", "grayscale");
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toContain("5 rendered, 0 already present");
    const files = (
      await readdir(path.join(cacheDir, "tiles", RENDER_VERSION, "grayscale", "1"), { recursive: true })
    ).sort();
    // Each tile with its metadata file (the iteration budget it was rendered with).
    expect(files).toEqual([
      "0",
      "0/0.png",
      "0/0.png~meta.json",
      "0/1.png",
      "0/1.png~meta.json",
      "1",
      "1/0.png",
      "1/0.png~meta.json",
      "1/1.png",
      "1/1.png~meta.json",
    ]);
    const second = prefill("--max-zoom", "1", "--palette", "grayscale");
    expect(second.stdout).toContain("0 rendered, 5 already present");
  }, 60_000);

  it("explains its usage and exits 2 on bad arguments", () => {
    const result = prefill("--max-zoom", "banana");
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("--max-zoom must be a whole number");
    expect(result.stderr).toContain("usage: npm run prefill");
  }, 60_000);
});
