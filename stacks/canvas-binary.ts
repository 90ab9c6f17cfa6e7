/**
 * The image function's `@napi-rs/canvas` binary, for the Lambda platform
 * rather than the deploying machine's. The binary is an optional dependency
 * of the wrapper, so `npm install` only fetched the one for the machine
 * itself, and SST's `nodejs.install` cannot help (it runs `npm install
 * --omit=optional`). Instead an esbuild plugin resolves the wrapper's
 * `require("@napi-rs/canvas-linux-<arch>-gnu")` to the binary of the function's
 * architecture at the version package-lock.json pins, and esbuild's `.node`
 * copy loader ships it next to the bundle:
 * - taken from node_modules when npm installed that exact version there (a
 *   linux machine of the same architecture: no network);
 * - otherwise fetched once with `npm pack`, checked against the lock file's
 *   sha512 integrity, and unpacked under `.build/canvas/` (any machine that can
 *   reach the npm registry can deploy).
 * The other platforms' packages stay external: Lambda never loads them.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export type LambdaArchitecture = "x86_64" | "arm_64";

const PLATFORM: Record<LambdaArchitecture, string> = { x86_64: "linux-x64-gnu", arm_64: "linux-arm64-gnu" };

export function canvasPlatformPackage(architecture: LambdaArchitecture): string {
  return `@napi-rs/canvas-${PLATFORM[architecture]}`;
}

export function canvasBinaryFile(architecture: LambdaArchitecture): string {
  return `skia.${PLATFORM[architecture]}.node`;
}

export interface LockedPackage {
  name: string;
  version: string;
  integrity: string;
}

export class CanvasBinaryError extends Error {}

/** A package's pinned version and integrity from an npm v3 lock file. */
export function lockedPackage(
  lock: { packages?: Record<string, { version?: string; integrity?: string }> },
  name: string,
): LockedPackage {
  const entry = lock.packages?.[`node_modules/${name}`];
  if (!entry?.version || !entry.integrity) {
    throw new CanvasBinaryError(
      `package-lock.json pins no version of ${name}; run npm install to complete the lock file`,
    );
  }
  return { name, version: entry.version, integrity: entry.integrity };
}

/** Throws unless `bytes` match an npm `sha512-<base64>` integrity string. */
export function verifyIntegrity(bytes: Uint8Array, integrity: string, what: string): void {
  const expected = integrity.split(" ").find((i) => i.startsWith("sha512-"));
  if (!expected) throw new CanvasBinaryError(`${what}: the lock file gives no sha512 integrity (${integrity})`);
  const actual = `sha512-${createHash("sha512").update(bytes).digest("base64")}`;
  if (actual !== expected)
    throw new CanvasBinaryError(`${what}: tarball integrity ${actual} differs from the lock file's ${expected}`);
}

export interface CanvasBinaryDeps {
  /** Repository root: where package-lock.json, node_modules and .build live. */
  root: string;
  /** Downloads `name@version` as an npm tarball into `dir` and returns its path. */
  pack(spec: string, dir: string): string;
}

function npmPack(spec: string, dir: string): string {
  const out = execFileSync("npm", ["pack", spec, "--pack-destination", dir, "--json", "--silent"], {
    encoding: "utf8",
  });
  const [{ filename }] = JSON.parse(out) as { filename: string }[];
  return join(dir, filename);
}

export const DEFAULT_CANVAS_DEPS: CanvasBinaryDeps = { root: process.cwd(), pack: npmPack };

/** Path of the canvas binary for `architecture`, fetching it if this machine does not have it. */
export function canvasBinaryPath(
  architecture: LambdaArchitecture,
  deps: CanvasBinaryDeps = DEFAULT_CANVAS_DEPS,
): string {
  const name = canvasPlatformPackage(architecture);
  const file = canvasBinaryFile(architecture);
  const locked = lockedPackage(JSON.parse(readFileSync(join(deps.root, "package-lock.json"), "utf8")), name);

  const installed = join(deps.root, "node_modules", name);
  if (existsSync(join(installed, file))) {
    const { version } = JSON.parse(readFileSync(join(installed, "package.json"), "utf8")) as { version: string };
    if (version === locked.version) return join(installed, file);
  }

  const cached = join(deps.root, ".build", "canvas", `${name.replace("/", "+")}-${locked.version}`);
  if (existsSync(join(cached, file))) return join(cached, file);

  const work = mkdtempSync(join(tmpdir(), "fractile-canvas-"));
  try {
    const tarball = deps.pack(`${name}@${locked.version}`, work);
    verifyIntegrity(readFileSync(tarball), locked.integrity, `${name}@${locked.version}`);
    const unpacked = join(work, "unpacked");
    mkdirSync(unpacked);
    execFileSync("tar", ["-xzf", tarball, "-C", unpacked]);
    if (!existsSync(join(unpacked, "package", file)))
      throw new CanvasBinaryError(`${name}@${locked.version} has no ${file}`);
    mkdirSync(join(cached, ".."), { recursive: true });
    rmSync(cached, { recursive: true, force: true });
    renameSync(join(unpacked, "package"), cached);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return join(cached, file);
}

/** The subset of esbuild's plugin API used here (SST bundles with its own esbuild). */
export interface EsbuildPlugin {
  name: string;
  setup(build: {
    onResolve(
      options: { filter: RegExp },
      callback: (args: { path: string }) => { path: string; external?: boolean } | undefined,
    ): void;
  }): void;
}

export function canvasBinaryPlugin(
  architecture: LambdaArchitecture,
  deps: CanvasBinaryDeps = DEFAULT_CANVAS_DEPS,
): EsbuildPlugin {
  const wanted = canvasPlatformPackage(architecture);
  return {
    name: "fractile-canvas-binary",
    setup(build) {
      build.onResolve({ filter: /^@napi-rs\/canvas-[a-z0-9-]+$/ }, (args) =>
        args.path === wanted ? { path: canvasBinaryPath(architecture, deps) } : { path: args.path, external: true },
      );
    },
  };
}
