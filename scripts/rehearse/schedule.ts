/**
 * How CodeDeploy shifts an alias to the new version, from a deployment
 * config: the predefined `CodeDeployDefault.Lambda*` names or a custom
 * `AWS::CodeDeploy::DeploymentConfig` (TrafficRoutingConfig).
 * - Linear P % every I min: P % at the start, P % more every I minutes.
 * - Canary P % for I min: P % at the start, everything after I minutes.
 * - All at once: everything at the start.
 * CodeDeploy watches the group's alarms until the last shift; the deployment
 * succeeds when the new version has 100 %.
 */
export interface DeploymentSchedule {
  /** e.g. "CodeDeployDefault.LambdaLinear10PercentEvery1Minute". */
  name: string;
  describe: string;
  /** Percent of traffic on the new version during minute `minute` (1-based) of the deployment. */
  percentAt(minute: number): number;
}

export class ScheduleError extends Error {}

function linear(name: string, percent: number, intervalMinutes: number): DeploymentSchedule {
  return {
    name,
    describe: `linear: ${percent} % more every ${intervalMinutes} min`,
    percentAt: (minute) => Math.min(100, percent * (Math.floor((minute - 1) / intervalMinutes) + 1)),
  };
}

function canary(name: string, percent: number, intervalMinutes: number): DeploymentSchedule {
  return {
    name,
    describe: `canary: ${percent} % for ${intervalMinutes} min, then all`,
    percentAt: (minute) => (minute <= intervalMinutes ? percent : 100),
  };
}

const ALL_AT_ONCE = (name: string): DeploymentSchedule => ({ name, describe: "all at once", percentAt: () => 100 });

/** A predefined config name, or the Properties of a custom DeploymentConfig resource. */
export function scheduleOf(config: string | Record<string, any>): DeploymentSchedule {
  if (typeof config === "string") {
    if (config === "CodeDeployDefault.LambdaAllAtOnce") return ALL_AT_ONCE(config);
    const predefined = /^CodeDeployDefault\.Lambda(Linear|Canary)(\d+)Percent(?:Every)?(\d+)Minutes?$/.exec(config);
    if (!predefined) throw new ScheduleError(`unknown deployment config ${config}`);
    const [, kind, percent, minutes] = predefined;
    return (kind === "Linear" ? linear : canary)(config, Number(percent), Number(minutes));
  }
  const routing = config.TrafficRoutingConfig ?? {};
  const name = config.DeploymentConfigName ?? "custom";
  if (routing.Type === "TimeBasedLinear") {
    return linear(name, routing.TimeBasedLinear.LinearPercentage, routing.TimeBasedLinear.LinearInterval);
  }
  if (routing.Type === "TimeBasedCanary") {
    return canary(name, routing.TimeBasedCanary.CanaryPercentage, routing.TimeBasedCanary.CanaryInterval);
  }
  if (routing.Type === "AllAtOnce") return ALL_AT_ONCE(name);
  throw new ScheduleError(
    `deployment config ${name}: traffic routing ${JSON.stringify(routing.Type)} is not supported`,
  );
}
