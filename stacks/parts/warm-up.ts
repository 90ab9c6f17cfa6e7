import { Duration } from "aws-cdk-lib";
import * as events from "aws-cdk-lib/aws-events";
import * as targets from "aws-cdk-lib/aws-events-targets";
import type { Construct } from "constructs";
import type { LiveFunction } from "./live-function";

/**
 * Keeps warm copies of the tile function every 5 minutes (Lambda recycles idle
 * environments after roughly that long). Targets the alias, never `$LATEST`,
 * so during a release the warm-up follows the traffic weights. SST's `Cron`
 * cannot target an alias, hence a plain EventBridge rule.
 */
export function createWarmUpRule(scope: Construct, id: string, target: LiveFunction, fanOut: number): events.Rule {
  return new events.Rule(scope, id, {
    description: "Keeps warm copies of the live tile function and prefills the top zoom levels",
    schedule: events.Schedule.rate(Duration.minutes(5)),
    targets: [
      new targets.LambdaFunction(target.alias, {
        event: events.RuleTargetInput.fromObject({ fractile: "warmup", fanOut, prefillMaxZoom: 3 }),
        // Best effort: a missed warm-up costs one cold start, not worth a retry or a DLQ.
        retryAttempts: 0,
      }),
    ],
  });
}
