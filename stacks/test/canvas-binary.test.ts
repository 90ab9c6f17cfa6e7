/**
 * Getting the Lambda platform's canvas binary on any machine: from
 * node_modules when npm installed the locked version there, else fetched
 * (npm pack, stubbed here with a tarball built on the spot), checked against
 * the lock file's integrity, and cached.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CanvasBinaryError, canvasBinaryPath, canvasBinaryPlugin, lockedPackage } from "../canvas-binary";

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "fractile-canvas-test-"));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** A tarball shaped like the registry's (`package/…`), and the lock entry that pins it. */
function fakePackage(name: string, file: string, binary: string) {
  const src = join(root, "src", "package");
  mkdirSync(src, { recursive: true });
  writeFileSync(join(src, file), binary);
  writeFileSync(join(src, "package.json"), JSON.stringify({ name, version: "1.1.1" }));
  const tarball = join(root, "src", "pkg.tgz");
  execFileSync("tar", ["-czf", tarball, "-C", join(root, "src"), "package"]);
  const integrity = `sha512-${createHash("sha512").update(readFileSync(tarball)).digest("base64")}`;
  return { tarball, integrity };
}

function writeLock(entries: Record<string, { version: string; integrity: string }>) {
  const packages = Object.fromEntries(Object.entries(entries).map(([name, e]) => [`node_modules/${name}`, e]));
  writeFileSync(join(root, "package-lock.json"), JSON.stringify({ lockfileVersion: 3, packages }));
}

describe("canvasBinaryPath", () => {
  it("fetches the locked version for another architecture, checks its integrity, and caches it", () => {
    const { tarball, integrity } = fakePackage(
      "@napi-rs/canvas-linux-arm64-gnu",
      "skia.linux-arm64-gnu.node",
      "ELF-arm64",
    );
    writeLock({ "@napi-rs/canvas-linux-arm64-gnu": { version: "1.1.1", integrity } });
    const packed: string[] = [];
    const pack = (spec: string, dir: string) => {
      packed.push(spec);
      const copy = join(dir, "canvas.tgz");
      writeFileSync(copy, readFileSync(tarball));
      return copy;
    };
    const path = canvasBinaryPath("arm_64", { root, pack });
    expect(readFileSync(path, "utf8")).toBe("ELF-arm64");
    expect(path.startsWith(join(root, ".build", "canvas"))).toBe(true);
    expect(canvasBinaryPath("arm_64", { root, pack })).toBe(path);
    expect(packed).toEqual(["@napi-rs/canvas-linux-arm64-gnu@1.1.1"]);
  });

  it("refuses a tarball that is not the one the lock file pins", () => {
    const { tarball } = fakePackage("@napi-rs/canvas-linux-arm64-gnu", "skia.linux-arm64-gnu.node", "tampered");
    writeLock({ "@napi-rs/canvas-linux-arm64-gnu": { version: "1.1.1", integrity: `sha512-${"A".repeat(86)}==` } });
    const pack = (_: string, dir: string) => (
      writeFileSync(join(dir, "x.tgz"), readFileSync(tarball)), join(dir, "x.tgz")
    );
    expect(() => canvasBinaryPath("arm_64", { root, pack })).toThrow(CanvasBinaryError);
    expect(() => canvasBinaryPath("arm_64", { root, pack })).toThrow(/integrity .* differs from the lock file's/);
  });

  it("uses node_modules without the network when npm installed the locked version there", () => {
    const installed = join(root, "node_modules", "@napi-rs", "canvas-linux-x64-gnu");
    mkdirSync(installed, { recursive: true });
    writeFileSync(join(installed, "skia.linux-x64-gnu.node"), "ELF-x64");
    writeFileSync(join(installed, "package.json"), JSON.stringify({ version: "1.1.1" }));
    writeLock({ "@napi-rs/canvas-linux-x64-gnu": { version: "1.1.1", integrity: "sha512-x" } });
    const pack = () => {
      throw new Error("no network expected");
    };
    expect(canvasBinaryPath("x86_64", { root, pack })).toBe(join(installed, "skia.linux-x64-gnu.node"));
  });

  it("names the fix when the lock file does not pin the platform package", () => {
    expect(() => lockedPackage({ packages: {} }, "@napi-rs/canvas-linux-arm64-gnu")).toThrow(/run npm install/);
  });

  it("this repository's lock file pins both Lambda platforms at the wrapper's version", () => {
    const lock = JSON.parse(readFileSync("package-lock.json", "utf8"));
    const wrapper = lockedPackage(lock, "@napi-rs/canvas");
    for (const name of ["@napi-rs/canvas-linux-x64-gnu", "@napi-rs/canvas-linux-arm64-gnu"]) {
      expect(lockedPackage(lock, name).version).toBe(wrapper.version);
    }
  });
});

describe("canvasBinaryPlugin", () => {
  it("resolves the function's platform package to its binary and leaves the others external", () => {
    const installed = join(root, "node_modules", "@napi-rs", "canvas-linux-x64-gnu");
    mkdirSync(installed, { recursive: true });
    writeFileSync(join(installed, "skia.linux-x64-gnu.node"), "ELF-x64");
    writeFileSync(join(installed, "package.json"), JSON.stringify({ version: "1.1.1" }));
    writeLock({ "@napi-rs/canvas-linux-x64-gnu": { version: "1.1.1", integrity: "sha512-x" } });
    let resolve: ((args: { path: string }) => unknown) | undefined;
    canvasBinaryPlugin("x86_64", { root, pack: () => "" }).setup({
      onResolve: (_, callback) => void (resolve = callback),
    });
    expect(resolve!({ path: "@napi-rs/canvas-linux-x64-gnu" })).toEqual({
      path: join(installed, "skia.linux-x64-gnu.node"),
    });
    expect(resolve!({ path: "@napi-rs/canvas-darwin-arm64" })).toEqual({
      path: "@napi-rs/canvas-darwin-arm64",
      external: true,
    });
  });
});
