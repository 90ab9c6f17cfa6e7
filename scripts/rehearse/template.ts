/**
 * What a rehearsal needs from the synthesized CloudFormation template, read
 * generically (no alarm, function or route is known by name here): the
 * functions with their new version, timeout and environment; the CodeDeploy
 * deployment groups with their schedule and alarms; every alarm; the API
 * routes. Intrinsics are resolved as CloudFormation would, with the version
 * each `AWS::Lambda::Version` publishes given by the caller.
 */
import {
  type AlarmDefinition,
  AlarmDefinitionError,
  type MetricQuery,
  type TreatMissingData,
  isComparison,
} from "./alarms";
import { type DeploymentSchedule, scheduleOf } from "./schedule";

export interface CfnResource {
  Type: string;
  Properties?: Record<string, any>;
  UpdatePolicy?: Record<string, any>;
}
export interface CfnTemplate {
  Resources: Record<string, CfnResource>;
}

export class TemplateError extends Error {}

const PSEUDO: Record<string, string> = {
  "AWS::Region": "us-east-1",
  "AWS::AccountId": "123456789012",
  "AWS::Partition": "aws",
  "AWS::URLSuffix": "amazonaws.com",
};

export interface FunctionInfo {
  logicalId: string;
  name: string;
  /** Logical id of the `AWS::Lambda::Version` this deploy publishes. */
  versionLogicalId: string;
  timeoutMs: number;
  reservedConcurrency?: number;
  /** Environment variables with literal values (references to other resources are left out). */
  environment: Record<string, string>;
}

export interface ReleaseInfo {
  deploymentGroup: string;
  functionName: string;
  schedule: DeploymentSchedule;
  alarmNames: string[];
}

export interface RouteInfo {
  /** `GET /tiles/{proxy+}`, `$default`, ... */
  routeKey: string;
  functionName: string;
}

export interface RehearsalTemplate {
  functions: FunctionInfo[];
  releases: ReleaseInfo[];
  alarms: AlarmDefinition[];
  routes: RouteInfo[];
}

/**
 * @param newVersion the version number each function's new version gets
 *   (what `Fn::GetAtt [Version, Version]` resolves to), by function name.
 */
export function readTemplate(template: CfnTemplate, newVersion: (functionName: string) => string): RehearsalTemplate {
  const resources = template.Resources;
  const typeOf = (id: string) => resources[id]?.Type;

  function resolve(value: unknown, where: string): string {
    if (typeof value === "string") return value;
    if (typeof value === "number") return String(value);
    const v = value as Record<string, any>;
    if (v?.Ref !== undefined) {
      if (PSEUDO[v.Ref]) return PSEUDO[v.Ref];
      const target = resources[v.Ref];
      const literal = (prop: string) => {
        const named = target?.Properties?.[prop];
        if (named === undefined) throw new TemplateError(`${where}: Ref ${v.Ref} has no ${prop}`);
        return resolve(named, where);
      };
      switch (target?.Type) {
        case "AWS::Lambda::Function":
          return literal("FunctionName");
        case "AWS::CloudWatch::Alarm":
          return literal("AlarmName");
        case "AWS::CodeDeploy::DeploymentGroup":
          return literal("DeploymentGroupName");
        case "AWS::CodeDeploy::Application":
          return literal("ApplicationName");
        case "AWS::Lambda::Alias":
          return `${resolve(target.Properties!.FunctionName, where)}:${resolve(target.Properties!.Name, where)}`;
      }
      throw new TemplateError(`${where}: cannot resolve Ref ${v.Ref} (${target?.Type ?? "missing"})`);
    }
    if (v?.["Fn::GetAtt"]) {
      const [id, attribute] = v["Fn::GetAtt"] as [string, string];
      if (typeOf(id) === "AWS::Lambda::Version" && attribute === "Version") {
        return newVersion(resolve(resources[id].Properties!.FunctionName, where));
      }
      throw new TemplateError(`${where}: cannot resolve Fn::GetAtt ${id}.${attribute}`);
    }
    if (v?.["Fn::Join"]) {
      const [separator, parts] = v["Fn::Join"] as [string, unknown[]];
      return parts.map((p) => resolve(p, where)).join(separator);
    }
    if (v?.["Fn::Sub"] && typeof v["Fn::Sub"] === "string") {
      return (v["Fn::Sub"] as string).replace(/\$\{([^}]+)\}/g, (_, name: string) => resolve({ Ref: name }, where));
    }
    throw new TemplateError(`${where}: cannot resolve ${JSON.stringify(value).slice(0, 200)}`);
  }
  const tryResolve = (value: unknown, where: string) => {
    try {
      return resolve(value, where);
    } catch (error) {
      if (error instanceof TemplateError) return undefined;
      throw error;
    }
  };

  const entries = Object.entries(resources);
  const ofType = (type: string) => entries.filter(([, r]) => r.Type === type);

  const functions: FunctionInfo[] = [];
  for (const [versionLogicalId, version] of ofType("AWS::Lambda::Version")) {
    const fnRef = version.Properties?.FunctionName?.Ref as string | undefined;
    const fn = fnRef ? resources[fnRef] : undefined;
    if (!fnRef || fn?.Type !== "AWS::Lambda::Function") continue;
    const p = fn.Properties ?? {};
    const environment: Record<string, string> = {};
    for (const [name, value] of Object.entries((p.Environment?.Variables ?? {}) as Record<string, unknown>)) {
      if (typeof value === "string") environment[name] = value;
    }
    functions.push({
      logicalId: fnRef,
      name: resolve(p.FunctionName, `function ${fnRef}`),
      versionLogicalId,
      timeoutMs: (p.Timeout ?? 3) * 1000,
      reservedConcurrency: p.ReservedConcurrentExecutions,
      environment,
    });
  }

  const customConfigs = Object.fromEntries(
    ofType("AWS::CodeDeploy::DeploymentConfig").map(([id, r]) => [id, r.Properties ?? {}]),
  );
  const releases: ReleaseInfo[] = [];
  for (const [aliasId, alias] of ofType("AWS::Lambda::Alias")) {
    const update = alias.UpdatePolicy?.CodeDeployLambdaAliasUpdate;
    if (!update) continue;
    const groupId = update.DeploymentGroupName?.Ref as string;
    const group = resources[groupId];
    if (group?.Type !== "AWS::CodeDeploy::DeploymentGroup")
      throw new TemplateError(`alias ${aliasId}: no deployment group`);
    const gp = group.Properties ?? {};
    const configName = gp.DeploymentConfigName;
    const schedule =
      typeof configName === "object" && configName?.Ref && customConfigs[configName.Ref]
        ? scheduleOf(customConfigs[configName.Ref])
        : scheduleOf(resolve(configName ?? "CodeDeployDefault.LambdaAllAtOnce", `deployment group ${groupId}`));
    releases.push({
      deploymentGroup: resolve(gp.DeploymentGroupName, `deployment group ${groupId}`),
      functionName: resolve(alias.Properties!.FunctionName, `alias ${aliasId}`),
      schedule,
      alarmNames:
        gp.AlarmConfiguration?.Enabled === false
          ? []
          : ((gp.AlarmConfiguration?.Alarms ?? []) as { Name: unknown }[]).map((a) =>
              resolve(a.Name, `deployment group ${groupId}`),
            ),
    });
  }

  // Only the alarms a deployment group watches can roll a release back; the others (the
  // export queue's, say) watch metrics no rehearsal process emits.
  const watched = new Set(releases.flatMap((r) => r.alarmNames));
  const alarms = ofType("AWS::CloudWatch::Alarm")
    .filter(([id, r]) => watched.has(tryResolve(r.Properties?.AlarmName, `alarm ${id}`) ?? id))
    .map(([id, r]) => readAlarm(id, r.Properties ?? {}, resolve));

  const routes: RouteInfo[] = [];
  for (const [id, route] of ofType("AWS::ApiGatewayV2::Route")) {
    const target = tryResolveIntegration(route.Properties?.Target);
    const integration = target ? resources[target] : undefined;
    const uri = integration?.Properties?.IntegrationUri;
    const aliasOrFn = uri?.Ref ?? uri?.["Fn::GetAtt"]?.[0];
    const destination = aliasOrFn ? resources[aliasOrFn] : undefined;
    if (!destination) continue;
    const fnName =
      destination.Type === "AWS::Lambda::Alias"
        ? tryResolve(destination.Properties!.FunctionName, `route ${id}`)
        : destination.Type === "AWS::Lambda::Function"
          ? tryResolve(destination.Properties!.FunctionName, `route ${id}`)
          : undefined;
    if (fnName) routes.push({ routeKey: route.Properties!.RouteKey, functionName: fnName });
  }

  return { functions, releases, alarms, routes };
}

/** `integrations/{Ref}` of a route's Target, as the logical id of the integration. */
function tryResolveIntegration(target: unknown): string | undefined {
  const join = (target as Record<string, any>)?.["Fn::Join"];
  if (!join) return undefined;
  const ref = (join[1] as unknown[]).find((p) => (p as Record<string, unknown>)?.Ref) as { Ref: string } | undefined;
  return ref?.Ref;
}

const TREAT_MISSING: readonly TreatMissingData[] = ["missing", "notBreaching", "breaching", "ignore"];

function readAlarm(
  id: string,
  p: Record<string, any>,
  resolve: (value: unknown, where: string) => string,
): AlarmDefinition {
  const name = p.AlarmName ? resolve(p.AlarmName, `alarm ${id}`) : id;
  const fail = (why: string): never => {
    throw new AlarmDefinitionError(`alarm ${name}: ${why}`);
  };
  const dimensionsOf = (dims: { Name: string; Value: unknown }[] = []) =>
    Object.fromEntries(dims.map((d) => [d.Name, resolve(d.Value, `alarm ${name} dimension ${d.Name}`)]));
  const minutesOf = (seconds: number) =>
    seconds % 60 === 0 ? seconds / 60 : fail(`period ${seconds} s is not whole minutes (the rehearsal's clock unit)`);

  let queries: MetricQuery[];
  let expressions: { id: string; expression: string }[] = [];
  let returnId: string;
  let periodMinutes: number;
  if (p.MetricName) {
    periodMinutes = minutesOf(p.Period);
    const stat = p.ExtendedStatistic ?? p.Statistic ?? fail("no Statistic or ExtendedStatistic");
    queries = [
      {
        id: "m",
        namespace: p.Namespace,
        name: p.MetricName,
        dimensions: dimensionsOf(p.Dimensions),
        periodMinutes,
        stat,
      },
    ];
    returnId = "m";
  } else if (Array.isArray(p.Metrics)) {
    const metrics = p.Metrics as any[];
    queries = metrics
      .filter((m) => m.MetricStat)
      .map((m) => ({
        id: m.Id,
        namespace: m.MetricStat.Metric.Namespace,
        name: m.MetricStat.Metric.MetricName,
        dimensions: dimensionsOf(m.MetricStat.Metric.Dimensions),
        periodMinutes: minutesOf(m.MetricStat.Period),
        stat: m.MetricStat.Stat,
      }));
    expressions = metrics.filter((m) => m.Expression).map((m) => ({ id: m.Id, expression: m.Expression }));
    const returned = metrics.filter((m) => m.ReturnData !== false);
    if (returned.length !== 1) fail(`exactly one query must return data, ${returned.length} do`);
    returnId = returned[0].Id;
    const periods = new Set(queries.map((q) => q.periodMinutes));
    if (returned[0].Period) periods.add(minutesOf(returned[0].Period));
    if (periods.size !== 1) fail("queries with different periods are not supported");
    periodMinutes = [...periods][0];
  } else {
    return fail("neither a metric nor metric math (anomaly detection and Metrics Insights are not supported)");
  }

  if (p.ThresholdMetricId) fail("threshold from a metric (anomaly detection) is not supported");
  if (!isComparison(p.ComparisonOperator)) fail(`comparison ${p.ComparisonOperator} is not supported`);
  const treatMissingData = (p.TreatMissingData ?? "missing") as TreatMissingData;
  if (!TREAT_MISSING.includes(treatMissingData)) fail(`TreatMissingData ${treatMissingData} is unknown`);
  return {
    name,
    queries,
    expressions,
    returnId,
    periodMinutes,
    evaluationPeriods: p.EvaluationPeriods,
    datapointsToAlarm: p.DatapointsToAlarm ?? p.EvaluationPeriods,
    threshold: p.Threshold,
    comparison: p.ComparisonOperator,
    treatMissingData,
  };
}
