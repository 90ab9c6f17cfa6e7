import { Duration } from "aws-cdk-lib";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import type { Construct } from "constructs";
import { LIVE_ALIAS, METRICS_NAMESPACE, type ServiceRole, type StageNames } from "../naming";
import type { LiveFunction } from "./live-function";

/**
 * Alarms that gate a release. All but one watch only the version being rolled
 * out: Lambda's own metrics by `ExecutedVersion` (published for invocations
 * through the alias) and the handlers' EMF metrics by `FunctionVersion`. The
 * version still serving 90 % of traffic can therefore never roll back the new
 * one, and a version with no traffic yet has no data, which is not a breach.
 * "5xx" below = handled 500s (`ServerErrors`, which Lambda does not count as
 * `Errors`) + unhandled errors and timeouts (Lambda `Errors`).
 *
 * Thresholds (why):
 * - errors: >= 3 5xx of the new version within one minute. Behind CloudFront
 *   the functions see only cache misses, so at 10-50 % weight (and always on
 *   staging) the new version may never reach the rate alarm's volume floor; a
 *   healthy version answers 0 5xx (tiles are a pure function, cache faults
 *   degrade to a render), and 3 in a minute is more than one cold-start
 *   timeout or one bad request can explain. One minute, one datapoint: the
 *   release is stopped within ~1-2 minutes of the first burst.
 * - 5xx rate > 5 % of invocations in 2 consecutive minutes, counted only in
 *   minutes with >= 10 invocations: the busy-stage alarm, for a version that
 *   fails a share of requests too small to reach 3 a minute at low traffic
 *   but is clearly broken at volume.
 * - p99 duration above a threshold for 2 consecutive minutes: images 14 s,
 *   half their 28 s timeout; tiles 5 s, far below theirs (28 s, for the rare
 *   deep tiles on a component's boundary), because ordinary tiles and cold
 *   starts take well under a second: a p99 of 5 s is a slow version.
 * - throttles: >= 5 a minute for 2 consecutive minutes, function-wide. A
 *   throttled request never ran a version, so throttles cannot be attributed
 *   to one; with no reserved concurrency they mean the account's concurrency
 *   is exhausted. During a release that is reason enough to go back to the
 *   version that fitted (a new version that holds executions longer is the
 *   usual cause); isolated throttles in a burst are left to client retries.
 * Two-minute windows fit the prod schedule (10 % more traffic every minute):
 * a bad version is caught by the time it serves 20-30 %.
 */
export interface VersionAlarmThresholds {
  p99DurationMs: number;
}

const PERIOD = Duration.minutes(1);
const EVALUATION = { evaluationPeriods: 2, datapointsToAlarm: 2 } as const;
const MIN_INVOCATIONS_FOR_RATE = 10;
const MAX_5XX_PERCENT = 5;
const MAX_THROTTLES_PER_MINUTE = 5;
const MAX_ERRORS_PER_MINUTE = 3;

export function createVersionAlarms(
  scope: Construct,
  id: string,
  target: LiveFunction,
  role: ServiceRole,
  names: StageNames,
  thresholds: VersionAlarmThresholds,
): cloudwatch.Alarm[] {
  const version = target.version.version;
  const functionName = names.functionName(role);

  const lambdaMetric = (metricName: string, statistic: string) =>
    new cloudwatch.Metric({
      namespace: "AWS/Lambda",
      metricName,
      statistic,
      period: PERIOD,
      dimensionsMap: {
        FunctionName: functionName,
        Resource: `${functionName}:${LIVE_ALIAS}`,
        ExecutedVersion: version,
      },
    });
  const handlerMetric = (metricName: string) =>
    new cloudwatch.Metric({
      namespace: METRICS_NAMESPACE,
      metricName,
      statistic: "Sum",
      period: PERIOD,
      dimensionsMap: { service: names.serviceName(role), FunctionVersion: version },
    });

  const serverErrorRate = new cloudwatch.MathExpression({
    label: "5xx % of invocations (new version)",
    expression:
      `IF(FILL(invocations, 0) >= ${MIN_INVOCATIONS_FOR_RATE}, ` +
      `100 * (FILL(handled5xx, 0) + FILL(crashes, 0)) / FILL(invocations, 0), 0)`,
    usingMetrics: {
      invocations: lambdaMetric("Invocations", "Sum"),
      crashes: lambdaMetric("Errors", "Sum"),
      handled5xx: handlerMetric("ServerErrors"),
    },
    period: PERIOD,
  });

  const errorCount = new cloudwatch.MathExpression({
    label: "5xx of the new version",
    expression: "FILL(handled5xx, 0) + FILL(crashes, 0)",
    usingMetrics: { crashes: lambdaMetric("Errors", "Sum"), handled5xx: handlerMetric("ServerErrors") },
    period: PERIOD,
  });
  // Function-wide: no ExecutedVersion (see the throttles threshold above).
  const functionThrottles = new cloudwatch.Metric({
    namespace: "AWS/Lambda",
    metricName: "Throttles",
    statistic: "Sum",
    period: PERIOD,
    dimensionsMap: { FunctionName: functionName },
  });

  const alarm = (
    constructId: string,
    check: string,
    description: string,
    metric: cloudwatch.IMetric,
    rule: { threshold: number; comparisonOperator: cloudwatch.ComparisonOperator },
    evaluation: { evaluationPeriods: number; datapointsToAlarm: number } = EVALUATION,
  ) =>
    new cloudwatch.Alarm(scope, `${id}${constructId}`, {
      alarmName: names.alarmName(role, check),
      alarmDescription: description,
      metric,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      ...evaluation,
      ...rule,
    });

  return [
    alarm(
      "Errors",
      "errors",
      `New ${role} version answered ${MAX_ERRORS_PER_MINUTE}+ 5xx within a minute; rolls the release back.`,
      errorCount,
      {
        threshold: MAX_ERRORS_PER_MINUTE,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      },
      { evaluationPeriods: 1, datapointsToAlarm: 1 },
    ),
    alarm(
      "ServerErrorRate",
      "5xx-rate",
      `New ${role} version answers more than ${MAX_5XX_PERCENT} % 5xx; rolls the release back.`,
      serverErrorRate,
      { threshold: MAX_5XX_PERCENT, comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD },
    ),
    alarm(
      "P99Duration",
      "p99-duration",
      `New ${role} version p99 duration above ${thresholds.p99DurationMs} ms; rolls the release back.`,
      lambdaMetric("Duration", "p99"),
      { threshold: thresholds.p99DurationMs, comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD },
    ),
    alarm(
      "Throttles",
      "throttles",
      `The ${role} function (any version) throttled ${MAX_THROTTLES_PER_MINUTE}+ times a minute; rolls a running release back.`,
      functionThrottles,
      {
        threshold: MAX_THROTTLES_PER_MINUTE,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      },
    ),
  ];
}
