import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { findOnPath } from "./host";

const root = mkdtempSync(path.join(os.tmpdir(), "fractile-path-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function dirWith(name: string, files: Record<string, number>): string {
  const dir = path.join(root, name);
  mkdirSync(dir);
  for (const [file, mode] of Object.entries(files)) {
    writeFileSync(path.join(dir, file), "#!/bin/sh\n");
    chmodSync(path.join(dir, file), mode);
  }
  return dir;
}

describe("findOnPath", () => {
  const first = dirWith("first", { tool: 0o644 });
  const second = dirWith("second", { tool: 0o755, other: 0o755 });

  it("finds the first executable of that name, skipping files that are not executable", () => {
    expect(findOnPath("tool", [first, second].join(path.delimiter))).toBe(path.join(second, "tool"));
    expect(findOnPath("other", ["", second].join(path.delimiter))).toBe(path.join(second, "other"));
  });

  it("gives undefined when no directory on the path has it", () => {
    expect(findOnPath("tool", first)).toBeUndefined();
    expect(findOnPath("tool", "")).toBeUndefined();
  });
});
