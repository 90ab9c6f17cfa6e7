/**
 * System software some test suites need, in one place: the binaries they run
 * and the Debian packages that provide them. The provisioning plan, the vitest
 * global set-ups and the suites' own checks all read it from here.
 */
export interface SystemRequirement {
  /** What a reader calls it, e.g. "Ceph radosgw". */
  readonly name: string;
  /** Executables that must be on PATH. */
  readonly binaries: readonly string[];
  /** Debian/Ubuntu packages that install them. */
  readonly aptPackages: readonly string[];
  /** Which tests need it, for the messages. */
  readonly neededBy: string;
}

export const RADOSGW: SystemRequirement = {
  name: "Ceph radosgw",
  binaries: ["radosgw", "ceph-mon", "ceph-osd"],
  aptPackages: ["radosgw", "ceph-mon", "ceph-osd"],
  neededBy: "the S3 tests, which run against a real radosgw",
};

export const CHROMIUM: SystemRequirement = {
  name: "Chromium",
  binaries: ["chromium"],
  aptPackages: ["chromium"],
  neededBy: "the browser tests (web/test), which drive a real Chromium",
};
