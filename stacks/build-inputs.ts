/**
 * What synthesis needs built beforehand, checked before anything else runs, so
 * `npx sst deploy` from a fresh checkout stops at once with the command to run
 * instead of failing deep inside bundling (`npm run deploy` builds first).
 */
import { existsSync } from "node:fs";

export const BUILD_INPUTS = [
  {
    path: "packages/kernel/build/kernel-wasm.js",
    what: "the wasm kernel every render function bundles",
    command: "npm run build:wasm",
  },
  { path: "packages/deep/build/deep-wasm.js", what: "the deep-zoom wasm loop", command: "npm run build:wasm" },
  {
    path: "functions/lib/build/deep-thread-source.js",
    what: "the deep-tile thread the tile function starts",
    command: "npm run build:wasm",
  },
  { path: "web/dist/index.html", what: "the viewer the site bucket serves", command: "npm run build:web" },
] as const;

export class NotBuiltError extends Error {}

export function assertBuilt(exists: (path: string) => boolean = existsSync): void {
  const missing = BUILD_INPUTS.filter((input) => !exists(input.path));
  if (missing.length === 0) return;
  throw new NotBuiltError(
    `not built: ${missing.map((m) => `${m.path} (${m.what}; ${m.command})`).join(", ")}. ` +
      "Run `npm run build` first, or deploy with `npm run deploy -- --stage NAME`, which builds.",
  );
}
