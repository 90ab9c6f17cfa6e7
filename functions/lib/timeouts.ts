/**
 * How long each HTTP function may run. Both sit just below API Gateway's 30 s integration limit
 * (HTTP API), so a render that is too slow fails as our own 5xx, not a gateway timeout. Tiles get
 * the same ceiling as images because the costliest deep tiles, those on the boundary of a big
 * component, run every pixel to its budget: seconds on one vCPU (packages/deep/README.md,
 * "Interior proofs and the bound on work").
 */
export const FUNCTION_TIMEOUT_SECONDS = { tiles: 28, image: 28 } as const;
