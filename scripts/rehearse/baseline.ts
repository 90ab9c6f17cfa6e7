/**
 * The baseline of a rehearsal: another commit of this repository checked out
 * in a temporary `git worktree`, with its own wasm build. node_modules is
 * shared (a symlink) when its package-lock.json is identical to this
 * checkout's; otherwise the worktree gets its own `npm install`.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, realpath, rm, symlink } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface Baseline {
  ref: string;
  commit: string;
  root: string;
  /** How node_modules was provided ("shared" or "installed"). */
  nodeModules: "shared" | "installed";
  remove(): Promise<void>;
}

async function git(cwd: string, ...args: string[]): Promise<string> {
  return (await run("git", args, { cwd, maxBuffer: 64 * 1024 * 1024 })).stdout.trim();
}

/** The latest `v*` tag reachable from HEAD, else HEAD~1. */
export async function defaultBaselineRef(repoRoot: string): Promise<string> {
  try {
    return await git(repoRoot, "describe", "--tags", "--abbrev=0", "--match", "v*", "HEAD");
  } catch {
    return "HEAD~1";
  }
}

export async function prepareBaseline(repoRoot: string, ref: string, log: (line: string) => void): Promise<Baseline> {
  const commit = await git(repoRoot, "rev-parse", "--verify", `${ref}^{commit}`).catch(() => {
    throw new Error(`baseline ref ${JSON.stringify(ref)} is not a commit of this repository`);
  });
  const root = await mkdtemp(path.join(os.tmpdir(), "fractile-baseline-"));
  await git(repoRoot, "worktree", "add", "--detach", root, commit);
  const remove = async () => {
    await git(repoRoot, "worktree", "remove", "--force", root).catch(() => undefined);
    await rm(root, { recursive: true, force: true });
    await git(repoRoot, "worktree", "prune").catch(() => undefined);
  };
  try {
    const [ours, theirs] = await Promise.all([
      readFile(path.join(repoRoot, "package-lock.json"), "utf8"),
      readFile(path.join(root, "package-lock.json"), "utf8").catch(() => ""),
    ]);
    let nodeModules: Baseline["nodeModules"];
    if (ours === theirs) {
      await symlink(await realpath(path.join(repoRoot, "node_modules")), path.join(root, "node_modules"), "dir");
      nodeModules = "shared";
    } else {
      log(`baseline ${ref}: package-lock.json differs from this checkout's; npm install (this takes a while)`);
      await run("npm", ["install", "--no-audit", "--no-fund"], { cwd: root, maxBuffer: 64 * 1024 * 1024 });
      nodeModules = "installed";
    }
    log(`baseline ${ref} (${commit.slice(0, 10)}): npm run build:wasm in ${root}`);
    await run("npm", ["run", "build:wasm"], { cwd: root, maxBuffer: 64 * 1024 * 1024 });
    return { ref, commit, root, nodeModules, remove };
  } catch (error) {
    await remove();
    throw error;
  }
}
