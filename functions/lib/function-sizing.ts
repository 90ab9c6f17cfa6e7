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
