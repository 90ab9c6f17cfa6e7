import type { FunctionProps } from "sst/constructs";

/**
 * What each deployed function bundles: its handler and SST's `nodejs` options.
 * The stack deploys these and `npm run bench:bundle` builds them the same way.
 */

/** Bundling for everything that carries the render core (pure JS + wasm). */
export const RENDER_CORE_BUNDLE: FunctionProps["nodejs"] = { format: "esm" };

/**
 * The image function carries `@napi-rs/canvas`, a native addon. SST's
 * `nodejs.install` cannot ship it: it runs `npm install --omit=optional`, and
 * the platform binary is an optional dependency, so the bundle would hold the
 * JS wrapper and no binary at all (checked with npm 11 for x64 and arm64).
 * Instead esbuild bundles the wrapper and *copies* the binary the lock file
 * installed for this build host next to the bundle. The host that deploys is
 * linux-x64 (CI runners, this machine), hence x86_64 for this one function;
 * a test reads the copied binary's ELF header to prove it matches.
 */
export const NATIVE_CANVAS_BUNDLE: FunctionProps["nodejs"] = { ...RENDER_CORE_BUNDLE, loader: { ".node": "copy" } };

export interface FunctionCode {
  /** SST handler: `file-without-extension.export`. */
  handler: string;
  nodejs: FunctionProps["nodejs"];
}

export const FUNCTION_CODE = {
  tiles: { handler: "functions/tiles.handler", nodejs: RENDER_CORE_BUNDLE },
  image: { handler: "functions/image.handler", nodejs: NATIVE_CANVAS_BUNDLE },
  /** The CodeDeploy hooks of both functions (stacks/parts/release-hooks.ts). */
  releaseHook: { handler: "functions/release-hook.handler", nodejs: RENDER_CORE_BUNDLE },
} as const satisfies Record<string, FunctionCode>;
