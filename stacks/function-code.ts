import type { FunctionProps } from "sst/constructs";
import { canvasBinaryPlugin, type LambdaArchitecture } from "./canvas-binary";

/**
 * What each deployed function bundles: its handler and SST's `nodejs` options.
 * The stack deploys these and `npm run bench:bundle` builds them the same way.
 */

/**
 * Bundling for everything that carries the render core (pure JS + wasm). Split, so code loaded
 * only by a dynamic import (the Lambda client, the SDK's credential chain) is a chunk a cold start
 * does not read; minified, which halves the bundle (stack traces keep function names; SST keeps
 * the source maps out of the bundle). `npm run bench:bundle` measures both.
 */
export const RENDER_CORE_BUNDLE: FunctionProps["nodejs"] = { format: "esm", splitting: true, minify: true };

/**
 * The image function carries `@napi-rs/canvas`, a native addon: esbuild
 * bundles the JS wrapper and copies the binary for the function's architecture
 * next to the bundle (how it gets that binary on any machine:
 * stacks/canvas-binary.ts); a stack test reads the shipped binary's ELF header.
 *
 * x86_64, not arm64 like the tile function: arm64 is ~20 % cheaper per GB-s,
 * but this machine cannot run an arm64 binary, so the speed of canvas's PNG,
 * JPEG and WebP encoders on Graviton is unmeasured here; the render core is
 * the same wasm on both. To switch, set this to "arm_64" (the binary follows)
 * and compare `/render.png` p50/p99 Duration on staging before and after.
 */
export const IMAGE_ARCHITECTURE: LambdaArchitecture = "x86_64";

export const NATIVE_CANVAS_BUNDLE: FunctionProps["nodejs"] = {
  ...RENDER_CORE_BUNDLE,
  loader: { ".node": "copy" },
  esbuild: { plugins: [canvasBinaryPlugin(IMAGE_ARCHITECTURE) as never] },
};

export interface FunctionCode {
  /** SST handler: `file-without-extension.export`. */
  handler: string;
  nodejs: FunctionProps["nodejs"];
}

export const FUNCTION_CODE = {
  tiles: { handler: "functions/tiles.handler", nodejs: RENDER_CORE_BUNDLE },
  image: { handler: "functions/image.handler", nodejs: NATIVE_CANVAS_BUNDLE },
  exports: { handler: "functions/exports.handler", nodejs: RENDER_CORE_BUNDLE },
  /** Carries canvas for webp posters (functions/lib/export-webp.ts), so it runs on IMAGE_ARCHITECTURE too. */
  exportWorker: { handler: "functions/export-worker.handler", nodejs: NATIVE_CANVAS_BUNDLE },
  /** The CodeDeploy hooks of both functions (stacks/parts/release-hooks.ts). */
  releaseHook: { handler: "functions/release-hook.handler", nodejs: RENDER_CORE_BUNDLE },
} as const satisfies Record<string, FunctionCode>;
