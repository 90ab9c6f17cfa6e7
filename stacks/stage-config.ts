/**
 * Per-stage knobs, all in one table: how a release shifts traffic, the cost
 * caps, and what happens to data when a stage is removed. Stages not listed
 * (personal stages such as `alice`) get PERSONAL.
 */

export interface StageConfig {
  /** Linear traffic shifting (10 % a minute) instead of all at once; keeps data on removal. */
  readonly productionLike: boolean;
  /** API Gateway stage throttling: steady requests/s and burst bucket size. A cost cap. */
  readonly apiThrottle: { readonly rateLimit: number; readonly burstLimit: number };
  /**
   * Reserved concurrency per function, or none (the default). A reservation is
   * a hard cap on parallel executions, but Lambda refuses any that would leave
   * the account's unreserved pool below 100, and new accounts start with a
   * quota of 10, where even 1 reserved fails the deploy late, during
   * CloudFormation. So no stage reserves by default: the API stage throttle is
   * the cost cap, and the function-wide throttles alarm watches the account
   * limit. Set it for a stage only after checking the account's quota
   * (`aws lambda get-account-settings`: ConcurrentExecutions - sum of all
   * reservations must stay >= 100).
   */
  readonly reservedConcurrency: { readonly tiles?: number; readonly image?: number };
  /**
   * Tiles expire this many days after they were written. Tiles are a cache of
   * a pure function, so an expired tile only costs one re-render on the next
   * miss; the rule is what eventually deletes tiles of old render versions.
   */
  readonly tileExpiryDays: number;
  /**
   * Memory of the tile function, which buys vCPUs (ONE_VCPU_MB each) that deep tiles' loops use as
   * threads (functions/lib/deep-threads.ts). 3008 MB (≈1.7 vCPUs, 2 threads) is the most some new
   * accounts may set before a quota increase; where the account allows, 10,240 MB gives 6 vCPUs
   * and cuts the costliest deep tiles about 3× further. Shallow tiles use one thread either way.
   */
  readonly tileMemoryMb: number;
  /** Keep the tile bucket when the stage is removed (`sst remove`). */
  readonly retainTiles: boolean;
  /** How many extra concurrent copies the 5-minute warm-up wakes besides the one it hits. */
  readonly warmFanOut: number;
  /**
   * May a deploy carry the rollback drill (FRACTILE_DRILL_*, docs/operations.md, "Rollback drill")?
   * Never in prod: a drill answers real users with 500s on purpose.
   */
  readonly drillAllowed: boolean;
}

const PRODUCTION: StageConfig = {
  productionLike: true,
  apiThrottle: { rateLimit: 200, burstLimit: 400 },
  reservedConcurrency: {},
  tileExpiryDays: 90,
  tileMemoryMb: 3008,
  retainTiles: true,
  warmFanOut: 4,
  drillAllowed: false,
};

const PERSONAL: StageConfig = {
  productionLike: false,
  apiThrottle: { rateLimit: 20, burstLimit: 40 },
  reservedConcurrency: {},
  tileExpiryDays: 7,
  tileMemoryMb: 3008,
  retainTiles: false,
  warmFanOut: 0,
  drillAllowed: true,
};

const STAGES: Readonly<Record<string, StageConfig>> = {
  prod: PRODUCTION,
  // Staging rehearses exactly the prod release (linear shift, hook, alarms)
  // at a tenth of the cost caps; its data is disposable.
  staging: {
    ...PRODUCTION,
    apiThrottle: { rateLimit: 20, burstLimit: 40 },
    tileExpiryDays: 14,
    retainTiles: false,
    warmFanOut: 1,
    // Where drills belong: the prod release schedule and alarms, no real users.
    drillAllowed: true,
  },
};

export function stageConfig(stage: string): StageConfig {
  return STAGES[stage] ?? PERSONAL;
}
