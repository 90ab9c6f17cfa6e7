/**
 * Decides how to provide missing system software before a test run: nothing to
 * do, install with apt-get (Debian or Ubuntu, as root), or stop with the exact
 * command a person must run. Pure: the host facts come in, a plan goes out, so
 * every branch is unit-tested without touching the machine.
 */
import type { SystemRequirement } from "./requirements";

export interface HostFacts {
  /** `process.platform`. */
  readonly platform: string;
  readonly isRoot: boolean;
  /** From /etc/os-release; undefined when there is none. */
  readonly os: OsRelease | undefined;
  readonly hasAptGet: boolean;
  /** Required binaries that are not on PATH. */
  readonly missingBinaries: readonly string[];
}

export interface OsRelease {
  readonly id: string;
  readonly idLike: readonly string[];
}

export type ProvisionPlan =
  | { readonly kind: "ready" }
  | {
      readonly kind: "install";
      readonly packages: readonly string[];
      /** The one line printed before installing. */
      readonly notice: string;
      /** argv of `apt-get update` (once per run is enough) and of the install. */
      readonly update: readonly string[];
      readonly install: readonly string[];
    }
  | { readonly kind: "fail"; readonly message: string };

const APT_FAMILY = new Set(["debian", "ubuntu"]);
/** Waits for another apt/dpkg run (e.g. a concurrent test run) instead of failing at once. */
const APT_LOCK_WAIT = ["-o", "DPkg::Lock::Timeout=600"];

export function planProvisioning(requirements: readonly SystemRequirement[], facts: HostFacts): ProvisionPlan {
  const missing = new Set(facts.missingBinaries);
  const unmet = requirements.filter((req) => req.binaries.some((binary) => missing.has(binary)));
  if (unmet.length === 0) return { kind: "ready" };

  const packages = [...new Set(unmet.flatMap((req) => req.aptPackages))];
  const binaries = unmet.flatMap((req) => req.binaries.filter((binary) => missing.has(binary)));
  if (isAptHost(facts) && facts.isRoot) {
    return {
      kind: "install",
      packages,
      notice: `provision: installing ${packages.join(" ")} with apt-get (${binaries.join(", ")} not on PATH)`,
      update: ["apt-get", ...APT_LOCK_WAIT, "update", "-qq"],
      install: ["apt-get", ...APT_LOCK_WAIT, "install", "-y", "-qq", "--no-install-recommends", ...packages],
    };
  }
  return { kind: "fail", message: missingMessage(unmet, binaries, facts) };
}

/** The error a person sees when the software is missing and cannot be installed here. */
export function missingMessage(
  unmet: readonly SystemRequirement[],
  binaries: readonly string[],
  facts: HostFacts,
): string {
  const packages = [...new Set(unmet.flatMap((req) => req.aptPackages))].join(" ");
  const what = `${binaries.join(", ")} not on PATH: ${unmet.map((req) => req.neededBy).join("; ")}.`;
  if (isAptHost(facts)) {
    const sudo = facts.isRoot ? "" : "sudo ";
    const why = facts.isRoot ? "" : " (npm test installs them itself when run as root)";
    return `${what} Install with: ${sudo}apt-get update && ${sudo}apt-get install -y --no-install-recommends ${packages}${why}`;
  }
  return (
    `${what} Install ${unmet.map((req) => req.name).join(" and ")} so that ${binaries.join(", ")} ` +
    `${binaries.length === 1 ? "is" : "are"} on PATH (Debian/Ubuntu packages: ${packages}); ` +
    "npm test installs them itself only on Debian or Ubuntu as root."
  );
}

function isAptHost(facts: HostFacts): boolean {
  if (facts.platform !== "linux" || !facts.hasAptGet || facts.os === undefined) return false;
  return [facts.os.id, ...facts.os.idLike].some((id) => APT_FAMILY.has(id));
}

/** Parses /etc/os-release (KEY=value lines, values optionally quoted). */
export function parseOsRelease(text: string): OsRelease | undefined {
  const fields = new Map<string, string>();
  for (const line of text.split("\n")) {
    const match = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (match) fields.set(match[1], match[2].replace(/^(["'])(.*)\1$/, "$2"));
  }
  const id = fields.get("ID");
  if (id === undefined) return undefined;
  return { id: id.toLowerCase(), idLike: (fields.get("ID_LIKE") ?? "").toLowerCase().split(/\s+/).filter(Boolean) };
}
