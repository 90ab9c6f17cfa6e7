import { defineConfig } from "vitest/config";

// One runner for every test in the repo, in five projects:
// - unit: pure packages, handlers with in-process stores, mocked AWS clients; no server,
//   no child process, no CDK synth. `npm run test:unit` runs only these (the inner loop);
// - slow: unit tests that take too long for that loop (listed in SLOW);
// - integration: everything else that needs no system software (infra synth, the local
//   server over HTTP, CLIs as child processes). New test files land here unless listed.
// - s3 and browser: need radosgw / Chromium, which their globalSetup provisions once per
//   run (installs with apt-get where it can, else stops with the command: test/provision).
// Timeouts are generous because the machines are 2 shared cores: CDK synthesis, radosgw
// start-up and Chromium all take seconds. Speed targets live in `npm run bench`, never here.
const UNIT = [
  "packages/**/*.test.ts",
  "functions/**/*.test.ts",
  "web/src/**/*.test.ts",
  "scripts/release/**/*.test.ts",
  "scripts/rehearse/alarms.test.ts",
  "stacks/test/stage-config.test.ts",
  "test/provision/**/*.test.ts",
];
// Unit tests too slow for the inner loop (deep renders against BigInt iteration, golden
// tiles rendered through the release hook many times): their own project, run by npm test.
const SLOW = [
  "packages/deep/deep.test.ts",
  "packages/deep/truth.test.ts",
  "packages/deep/interior-proof.test.ts",
  "packages/deep/pairs.test.ts",
  "packages/deep/bla-choice.test.ts",
  "functions/lib/deploy/release-hook.test.ts",
  "packages/export/tile-grid-deep.test.ts",
];
const S3 = ["test/s3-tile-store.test.ts", "test/ceph/**/*.test.ts"];
const BROWSER = ["web/test/**/*.test.ts"];
const EVERY_TEST = ["{packages,functions,stacks,scripts,test,web}/**/*.test.ts"];
const NEVER = ["**/node_modules/**", "web/dist/**", ".sst/**"];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 180_000,
    reporters: ["default"],
    projects: [
      { extends: true, test: { name: "unit", include: UNIT, exclude: [...NEVER, ...SLOW] } },
      { extends: true, test: { name: "slow", include: SLOW, exclude: NEVER } },
      {
        extends: true,
        test: { name: "integration", include: EVERY_TEST, exclude: [...NEVER, ...UNIT, ...S3, ...BROWSER] },
      },
      {
        extends: true,
        test: { name: "s3", include: S3, exclude: NEVER, globalSetup: ["test/provision/radosgw.setup.ts"] },
      },
      {
        extends: true,
        test: { name: "browser", include: BROWSER, exclude: NEVER, globalSetup: ["test/provision/chromium.setup.ts"] },
      },
    ],
  },
});
