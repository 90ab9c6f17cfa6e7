import { describe, expect, it } from "vitest";
import { parseOsRelease, planProvisioning, type HostFacts } from "./plan";
import { CHROMIUM, RADOSGW } from "./requirements";

const DEBIAN = { id: "debian", idLike: [] };
const UBUNTU = { id: "ubuntu", idLike: ["debian"] };
const MINT = { id: "linuxmint", idLike: ["ubuntu"] };
const FEDORA = { id: "fedora", idLike: [] };

function facts(overrides: Partial<HostFacts>): HostFacts {
  return { platform: "linux", isRoot: true, os: DEBIAN, hasAptGet: true, missingBinaries: [], ...overrides };
}

describe("planProvisioning", () => {
  it("does nothing when every binary is on PATH", () => {
    expect(planProvisioning([RADOSGW, CHROMIUM], facts({}))).toEqual({ kind: "ready" });
  });

  it("ignores missing binaries that no requirement of this run needs", () => {
    expect(planProvisioning([CHROMIUM], facts({ missingBinaries: ["radosgw"] }))).toEqual({ kind: "ready" });
  });

  it("installs the packages of the unmet requirements on Debian as root", () => {
    const plan = planProvisioning([RADOSGW, CHROMIUM], facts({ missingBinaries: ["ceph-osd"] }));
    expect(plan.kind).toBe("install");
    if (plan.kind !== "install") return;
    expect(plan.packages).toEqual(["radosgw", "ceph-mon", "ceph-osd"]);
    expect(plan.install.slice(0, 1)).toEqual(["apt-get"]);
    expect(plan.install).toContain("install");
    expect(plan.install.slice(-3)).toEqual(["radosgw", "ceph-mon", "ceph-osd"]);
    expect(plan.update).toContain("update");
    expect(plan.notice).toBe("provision: installing radosgw ceph-mon ceph-osd with apt-get (ceph-osd not on PATH)");
    expect(plan.notice).not.toContain("\n");
  });

  it("installs both sets at once when both are missing", () => {
    const plan = planProvisioning([RADOSGW, CHROMIUM], facts({ missingBinaries: ["radosgw", "chromium"] }));
    expect(plan.kind === "install" && plan.packages).toEqual(["radosgw", "ceph-mon", "ceph-osd", "chromium"]);
  });

  it.each([UBUNTU, MINT])("treats %o as an apt host", (os) => {
    expect(planProvisioning([CHROMIUM], facts({ os, missingBinaries: ["chromium"] })).kind).toBe("install");
  });

  it("stops with the sudo command when not root", () => {
    const plan = planProvisioning([CHROMIUM], facts({ isRoot: false, missingBinaries: ["chromium"] }));
    expect(plan.kind).toBe("fail");
    if (plan.kind !== "fail") return;
    expect(plan.message).toContain("chromium not on PATH");
    expect(plan.message).toContain("sudo apt-get update && sudo apt-get install -y --no-install-recommends chromium");
  });

  it("stops with the package names on a host without apt", () => {
    for (const host of [facts({ os: FEDORA }), facts({ platform: "darwin", os: undefined, hasAptGet: false })]) {
      const plan = planProvisioning([RADOSGW], { ...host, missingBinaries: ["radosgw", "ceph-mon", "ceph-osd"] });
      expect(plan.kind).toBe("fail");
      if (plan.kind !== "fail") continue;
      expect(plan.message).toContain("radosgw, ceph-mon, ceph-osd not on PATH");
      expect(plan.message).toContain("Debian/Ubuntu packages: radosgw ceph-mon ceph-osd");
      expect(plan.message).not.toContain("sudo");
    }
  });

  it("does not install on a Debian host that lacks apt-get", () => {
    expect(planProvisioning([CHROMIUM], facts({ hasAptGet: false, missingBinaries: ["chromium"] })).kind).toBe("fail");
  });
});

describe("parseOsRelease", () => {
  it("reads ID and ID_LIKE, quoted or not", () => {
    const text = 'PRETTY_NAME="Ubuntu 24.04 LTS"\nID=ubuntu\nID_LIKE="Debian"\nVERSION_ID="24.04"\n';
    expect(parseOsRelease(text)).toEqual({ id: "ubuntu", idLike: ["debian"] });
    expect(parseOsRelease("ID='linuxmint'\nID_LIKE='ubuntu debian'\n")).toEqual({
      id: "linuxmint",
      idLike: ["ubuntu", "debian"],
    });
  });

  it("gives undefined without an ID", () => {
    expect(parseOsRelease("NAME=Something\n")).toBeUndefined();
  });
});
