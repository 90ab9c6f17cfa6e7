/**
 * `npm run export` as a user runs it: a child process with its own job directory. A tiny zoom
 * sequence end to end (read back with an independent zip reader), and usage errors that name the
 * flag before any rendering starts.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { PNG } from "pngjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runExportCli } from "../test/export-cli";
import { readWebpHeader } from "../test/webp-header";
import { readZipEntries } from "../test/zip-entries";

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

let base: string;
beforeAll(async () => {
  base = await mkdtemp(path.join(os.tmpdir(), "fractile-export-cli-"));
});
afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

const runExport = (args: string[]) => runExportCli(args, { EXPORT_DIR: path.join(base, "jobs"), TILE_BUCKET: "" });

describe("npm run export -- --kind zoom", () => {
  it("writes a zip of numbered PNG frames of the asked size, one per zoom step", async () => {
    const out = path.join(base, "zoom.zip");
    const frames = 12; // two digits of numbering
    const run = await runExport([
      "--kind",
      "zoom",
      "--re",
      "-0.743643887037151",
      "--im",
      "0.13182590420533",
      "--from-zoom",
      "0",
      "--to-zoom",
      "14",
      "--frames",
      String(frames),
      "--width",
      "48",
      "--height",
      "27",
      "--out",
      out,
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(out);

    const entries = await readZipEntries(await readFile(out));
    expect(entries).toHaveLength(frames);
    // Numbered in order and zero-padded to one width, so every tool sorts them as they play.
    const numbers = entries.map((entry) => /^frame-(\d+)\.png$/.exec(entry.name));
    expect(numbers.every((match) => match !== null)).toBe(true);
    expect(numbers.map((match) => Number(match![1]))).toEqual([...Array(frames).keys()]);
    expect(new Set(entries.map((entry) => entry.name.length)).size).toBe(1);

    const hashes = new Set<string>();
    for (const entry of entries) {
      expect(entry.bytes.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
      const png = PNG.sync.read(entry.bytes, { checkCRC: true });
      expect([png.width, png.height]).toEqual([48, 27]);
      hashes.add(png.data.toString("base64"));
    }
    // Each frame is its own zoom: a sequence of one repeated image would be a bug.
    expect(hashes.size).toBe(frames);
  });

  it("writes webp frames with --format webp, numbered in order, each the asked size", async () => {
    const out = path.join(base, "zoom-webp.zip");
    const frames = 3;
    const run = await runExport([
      ...["--kind", "zoom", "--re", "-0.743643887037151", "--im", "0.13182590420533", "--to-zoom", "10"],
      ...["--frames", String(frames), "--width", "50", "--height", "30", "--format", "webp", "--out", out],
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("3 webp frames of 50×30");
    const entries = await readZipEntries(await readFile(out));
    expect(entries.map((entry) => entry.name)).toEqual(["frame-0.webp", "frame-1.webp", "frame-2.webp"]);
    for (const entry of entries) expect(readWebpHeader(entry.bytes)).toMatchObject({ width: 50, height: 30 });
    expect(new Set(entries.map((entry) => entry.bytes.toString("base64"))).size).toBe(frames);
  });

  it("names the flag of a bad value and exits 2 without rendering", async () => {
    const run = await runExport(["--kind", "zoom", "--re", "-0.75", "--im", "0.1", "--to-zoom", "3", "--frames", "1"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^export: --frames: /m);
    expect(run.stderr).toContain("usage: npm run export");
    expect(run.stdout).toBe("");
  });
});
