import { Duration } from "aws-cdk-lib";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import type { Construct } from "constructs";
import { METRICS_NAMESPACE, type StageNames } from "../naming";
import type { LiveFunction } from "./live-function";

const PERIOD = Duration.minutes(1);

/**
 * One screen for a release: SEARCH expressions return one line per function
 * version (the handlers' `FunctionVersion` dimension), so the old and the new
 * version show side by side while traffic shifts.
 */
export function createDashboard(
  scope: Construct,
  names: StageNames,
  functions: { tiles: LiveFunction; image: LiveFunction },
  releaseAlarms: cloudwatch.IAlarm[],
): cloudwatch.Dashboard {
  const tilesService = names.serviceName("tiles");
  const imageService = names.serviceName("image");
  const byVersion = (service: string, metricName: string, statistic: string, label: string) =>
    new cloudwatch.MathExpression({
      expression: `SEARCH('{${METRICS_NAMESPACE},FunctionVersion,service} MetricName="${metricName}" service="${service}"', '${statistic}', 60)`,
      label,
      period: PERIOD,
    });
  const sumOf = (service: string, metricName: string) => byVersion(service, metricName, "Sum", metricName);

  const cacheHitRatio = new cloudwatch.MathExpression({
    expression: "100 * SUM(hits) / SUM(requests)",
    label: "cache hit %",
    usingMetrics: { hits: sumOf(tilesService, "CacheHits"), requests: sumOf(tilesService, "TileRequests") },
    period: PERIOD,
  });

  return new cloudwatch.Dashboard(scope, "Dashboard", {
    dashboardName: names.dashboard,
    defaultInterval: Duration.hours(3),
    widgets: [
      [
        new cloudwatch.GraphWidget({
          title:
            "Tile requests by version (right: forwarded to another render version's owner, slow deep tiles sent to the export worker)",
          left: [byVersion(tilesService, "TileRequests", "Sum", "")],
          right: [
            byVersion(tilesService, "ForwardedTiles", "Sum", "forwarded"),
            byVersion(tilesService, "SlowTiles", "Sum", "slow"),
          ],
          width: 8,
        }),
        new cloudwatch.GraphWidget({
          title: "Image requests by version",
          left: [byVersion(imageService, "ImageRequests", "Sum", "")],
          width: 8,
        }),
        new cloudwatch.GraphWidget({
          title: "Tile cache hit ratio (%)",
          left: [cacheHitRatio],
          leftYAxis: { min: 0, max: 100 },
          width: 8,
        }),
      ],
      [
        new cloudwatch.GraphWidget({
          title: "Render ms p50 / p99 by version",
          left: [byVersion(tilesService, "RenderMs", "p50", "p50"), byVersion(tilesService, "RenderMs", "p99", "p99")],
          width: 12,
        }),
        new cloudwatch.GraphWidget({
          title: "5xx by version",
          left: [
            byVersion(tilesService, "ServerErrors", "Sum", "tiles"),
            byVersion(imageService, "ServerErrors", "Sum", "image"),
          ],
          right: [byVersion(tilesService, "CacheErrors", "Sum", "cache faults")],
          width: 12,
        }),
      ],
      [
        new cloudwatch.GraphWidget({
          title: "Throttles and concurrency",
          left: [
            functions.tiles.fn.metricThrottles({ period: PERIOD, label: "tiles throttles" }),
            functions.image.fn.metricThrottles({ period: PERIOD, label: "image throttles" }),
          ],
          right: [
            functions.tiles.fn.metric("ConcurrentExecutions", {
              statistic: "Maximum",
              period: PERIOD,
              label: "tiles concurrency",
            }),
            functions.image.fn.metric("ConcurrentExecutions", {
              statistic: "Maximum",
              period: PERIOD,
              label: "image concurrency",
            }),
          ],
          width: 12,
        }),
        new cloudwatch.AlarmStatusWidget({ title: "Release alarms", alarms: releaseAlarms, width: 12 }),
      ],
    ],
  });
}
