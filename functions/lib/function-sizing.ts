/**
 * How big and how long each HTTP function runs: one owner for the stack (stacks/) and for the
 * functions that adapt to it.
 */

/** Where Lambda grants one full vCPU; CPU is proportional to memory, up to 6 vCPUs at 10,240 MB. */
export const ONE_VCPU_MB = 1769;

/**
 * How long each HTTP function may run. Both sit just below API Gateway's 30 s integration limit
 * (HTTP API), so a render that is too slow fails as our own 5xx, not a gateway timeout. Tiles get
 * the same ceiling as images because the costliest deep tiles, those on the boundary of a big
 * component, run every pixel to its budget: seconds on one vCPU (packages/deep/README.md,
 * "Interior proofs and the bound on work").
 */
export const FUNCTION_TIMEOUT_SECONDS = { tiles: 28, image: 28 } as const;

/**
 * Threads a deep tile's loop may use on a Lambda of `memoryMb`: its share of vCPUs, rounded
 * (3008 MB ≈ 1.7 vCPUs → 2), never more than the cores the process sees, at least 1.
 */
export function deepThreadsFor(memoryMb: number | undefined, cores: number): number {
  if (memoryMb === undefined || !Number.isFinite(memoryMb) || memoryMb <= 0) return 1;
  return Math.max(1, Math.min(cores, Math.round(memoryMb / ONE_VCPU_MB)));
}

/**
 * Nanoseconds one thread spends per deep loop step on the tiles whose loops are long, below and
 * from the zoom where deltas become scaled doubles (about z480, packages/deep/perturb.ts). Measured
 * 2026-11-30 on the 2-vCPU dev box (packages/deep/README.md, "Slow tiles: rendered off the request
 * path", and "The scaled fast path"): below z480, 1.9–2.1 ns on the longest loops (the period-3
 * boundary tiles, BLA off under their anchors: 4.6 ns while they used it) and 3.1–3.3 ns on long
 * loops with BLA (M24,1 at z200 and z1000), so 4; 8.6–10.2 ns on the costliest scaled tile measured (the minibrot
 * beside C = i at z2003 without BLA, after the scaled fast path; 20.6 ns before it), so 12. Decides
 * only where a tile is rendered, never its bytes.
 */
export const DEEP_NS_PER_STEP = { plain: 4, scaled: 12, scaledFromZoom: 480 } as const;

/**
 * Share of the tile function's timeout a deep tile's loop may take on the request path: the rest
 * (11 s at 28 s) is the reference orbit (up to 1.5 s cold at z2400), probes and failed proofs (about
 * 12 % of the loop on the boundary tile), PNG encoding, the cache, and a CPU slower than the dev box's.
 * With it the z44 boundary tile @2x (estimated 5.8·10⁹ steps, 4.7 s measured on 2 threads) stays on
 * the request path at 3008 MB, and the same tile at the 50,000 plateau @2x (1.6·10¹⁰) does not.
 */
export const REQUEST_PATH_LOOP_SHARE = 0.6;

export function deepNsPerStep(z: number): number {
  return z >= DEEP_NS_PER_STEP.scaledFromZoom ? DEEP_NS_PER_STEP.scaled : DEEP_NS_PER_STEP.plain;
}

/** vCPUs a Lambda of `memoryMb` can keep busy with `threads` threads (3008 MB: 1.7, not 2). */
export function busyCpus(memoryMb: number | undefined, threads: number): number {
  if (memoryMb === undefined || !Number.isFinite(memoryMb) || memoryMb <= 0) return threads;
  return Math.max(0.5, Math.min(threads, memoryMb / ONE_VCPU_MB));
}

/** Seconds a deep loop of `steps` takes at zoom `z` on `cpus` vCPUs (the ns-per-step figure, not a clock). */
export function loopSeconds(steps: number, z: number, cpus: number): number {
  return (steps * deepNsPerStep(z)) / cpus / 1e9;
}

/**
 * The most loop steps a deep tile at zoom `z` may be estimated at and still be rendered on the
 * request path, by a function with `cpus` busy vCPUs and `timeoutSeconds`: beyond it the tile goes
 * to the export worker (functions/lib/slow-tiles.ts). 3008 MB (1.7 vCPUs), 28 s, z < 480: 7.1·10⁹ steps.
 */
export function maxRequestPathLoopSteps(
  z: number,
  cpus: number,
  timeoutSeconds: number = FUNCTION_TIMEOUT_SECONDS.tiles,
): number {
  return Math.floor((REQUEST_PATH_LOOP_SHARE * timeoutSeconds * 1e9 * cpus) / deepNsPerStep(z));
}
