/**
 * The I/O side of provisioning: reads the host's facts, carries out a plan,
 * and finds executables on PATH (so a test can hide one by changing PATH).
 */
import { spawnSync } from "node:child_process";
import { accessSync, constants, readFileSync } from "node:fs";
import path from "node:path";
import { missingMessage, parseOsRelease, planProvisioning, type HostFacts } from "./plan";
import type { SystemRequirement } from "./requirements";

/** The first executable called `name` on PATH, or undefined. */
export function findOnPath(name: string, searchPath = process.env.PATH ?? ""): string | undefined {
  for (const dir of searchPath.split(path.delimiter)) {
    if (dir === "") continue;
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

export function hostFacts(requirements: readonly SystemRequirement[]): HostFacts {
  let osReleaseText: string | undefined;
  try {
    osReleaseText = readFileSync("/etc/os-release", "utf8");
  } catch {
    osReleaseText = undefined;
  }
  return {
    platform: process.platform,
    isRoot: process.getuid?.() === 0,
    os: osReleaseText === undefined ? undefined : parseOsRelease(osReleaseText),
    hasAptGet: findOnPath("apt-get") !== undefined,
    missingBinaries: requirements.flatMap((req) => req.binaries).filter((binary) => findOnPath(binary) === undefined),
  };
}

/** Throws the message a person needs when a requirement is missing; never installs. */
export function assertInstalled(requirement: SystemRequirement): void {
  const facts = hostFacts([requirement]);
  if (facts.missingBinaries.length > 0) throw new Error(missingMessage([requirement], facts.missingBinaries, facts));
}

/** Absolute path of a requirement's first binary, after `assertInstalled`. */
export function executableOf(requirement: SystemRequirement): string {
  assertInstalled(requirement);
  return findOnPath(requirement.binaries[0])!;
}

const APT_UPDATED = Symbol.for("fractile.provision.aptUpdated");

/**
 * Makes the requirements available or throws with the command to run. Installs
 * with apt-get when the plan says so, printing one line; `apt-get update` runs
 * at most once per process even when several set-ups install.
 */
export function provision(requirements: readonly SystemRequirement[]): void {
  const plan = planProvisioning(requirements, hostFacts(requirements));
  if (plan.kind === "ready") return;
  if (plan.kind === "fail") throw new Error(plan.message);

  console.log(plan.notice);
  const state = globalThis as { [APT_UPDATED]?: boolean };
  if (!state[APT_UPDATED]) {
    run(plan.update);
    state[APT_UPDATED] = true;
  }
  run(plan.install);

  const after = hostFacts(requirements);
  if (after.missingBinaries.length > 0) {
    throw new Error(
      `provision: apt-get installed ${plan.packages.join(" ")}, yet ${after.missingBinaries.join(", ")} ` +
        `${after.missingBinaries.length === 1 ? "is" : "are"} still not on PATH (${process.env.PATH}).`,
    );
  }
}

/**
 * For a vitest globalSetup: provisions, and when that cannot be done prints why once and
 * returns, so the rest of the run goes on and every suite that needs the software fails in
 * its own check (`assertInstalled`) with the install command. Throwing here instead would
 * stop the whole run behind vitest's misleading "No test files found".
 */
export function provisionOrReport(requirements: readonly SystemRequirement[]): void {
  try {
    provision(requirements);
  } catch (error) {
    console.error(`provision: ${(error as Error).message}`);
  }
}

function run(argv: readonly string[]): void {
  const result = spawnSync(argv[0], argv.slice(1), {
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  if (result.status !== 0) {
    const output = `${result.stdout ?? ""}${result.stderr ?? ""}${result.error ? String(result.error) : ""}`;
    throw new Error(`provision: \`${argv.join(" ")}\` failed (exit ${result.status}):\n${output.slice(-2000)}`);
  }
}
