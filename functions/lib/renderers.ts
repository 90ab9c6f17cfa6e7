/**
 * How the handlers render, injected so each host picks its own: Lambda runs
 * one request per instance and renders in-process (the render core's
 * functions as they are); the local server serves many requests at once and
 * renders in a pool of worker threads (scripts/local/render-pool.ts).
 */
import type { RenderLimits, TileSpec, ViewSpec } from "../../packages/render/index";

/** `limits` may refuse a deep tile (LoopTooCostlyError) before its loop runs; never changes bytes. */
export type RenderTile = (spec: TileSpec, limits?: RenderLimits) => Uint8Array | Promise<Uint8Array>;
export type RenderView = (view: ViewSpec) => Uint8ClampedArray | Promise<Uint8ClampedArray>;
