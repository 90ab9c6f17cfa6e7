import { defineConfig } from "vitest/config";

// One runner for every test in the repo. Timeouts are generous because the
// machines are 2 shared cores: CDK synthesis, radosgw start-up and Chromium all
// take seconds. Speed targets live in `npm run bench`, never in test timeouts.
export default defineConfig({
  test: {
    include: ["{packages,functions,stacks,scripts,test,web}/**/*.test.ts"],
    exclude: ["**/node_modules/**", "web/dist/**", ".sst/**"],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    reporters: ["default"],
  },
});
