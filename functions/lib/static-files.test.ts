import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveStaticFile } from "./static-files";

let base: string;
let root: string;
beforeAll(async () => {
  base = await mkdtemp(path.join(os.tmpdir(), "fractile-static-"));
  root = path.join(base, "dist");
  await mkdir(path.join(root, "assets"), { recursive: true });
  await writeFile(path.join(root, "index.html"), "<!doctype html>");
  await writeFile(path.join(root, "assets", "app.js"), "console.log(1)");
  await writeFile(path.join(base, "secret.txt"), "secret");
});
afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

describe("resolveStaticFile", () => {
  it("serves index.html for / and files by path", async () => {
    expect(await resolveStaticFile(root, "/")).toBe(path.join(root, "index.html"));
    expect(await resolveStaticFile(root, "/assets/app.js")).toBe(path.join(root, "assets", "app.js"));
    expect(await resolveStaticFile(root, "/assets/")).toBeUndefined();
    expect(await resolveStaticFile(root, "/missing.js")).toBeUndefined();
  });

  it.each([
    "/../secret.txt",
    "/%2e%2e/secret.txt",
    "/assets/../../secret.txt",
    "/..%2Fsecret.txt",
    "/%2e%2e%5csecret.txt",
    "/index.html%00.js",
    "/%zz",
  ])("never serves anything outside the root: %s", async (rawPath) => {
    const file = await resolveStaticFile(root, rawPath);
    if (file !== undefined) expect(file.startsWith(root + path.sep)).toBe(true);
    expect(file).not.toBe(path.join(base, "secret.txt"));
  });
});
