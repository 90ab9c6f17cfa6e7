/** Small readers over a synthesized CloudFormation template, for the stack tests. */
import { join } from "node:path";
import type { Template } from "aws-cdk-lib/assertions";

export interface Resource {
  Type: string;
  Properties: Record<string, any>;
  UpdatePolicy?: Record<string, any>;
  DeletionPolicy?: string;
  Metadata?: Record<string, any>;
}

export function resources(template: Template): Record<string, Resource> {
  return template.toJSON().Resources as Record<string, Resource>;
}

export function ofType(template: Template, type: string): [string, Resource][] {
  return Object.entries(resources(template)).filter(([, r]) => r.Type === type);
}

/** The logical id a `{ Ref }` or `{ Fn::GetAtt }` points at. */
export function referencedId(value: unknown): string {
  const v = value as { Ref?: string; "Fn::GetAtt"?: [string, string] };
  const id = v?.Ref ?? v?.["Fn::GetAtt"]?.[0];
  if (!id) throw new Error(`not a reference: ${JSON.stringify(value)}`);
  return id;
}

export function typeOfReferenced(template: Template, value: unknown): string {
  return resources(template)[referencedId(value)]?.Type ?? "(missing)";
}

export function functionNamed(template: Template, functionName: string): [string, Resource] {
  const found = ofType(template, "AWS::Lambda::Function").find(([, r]) => r.Properties.FunctionName === functionName);
  if (!found) throw new Error(`no function named ${functionName}`);
  return found;
}

export function aliasOf(template: Template, functionLogicalId: string): [string, Resource] {
  const found = ofType(template, "AWS::Lambda::Alias").find(
    ([, r]) => r.Properties.FunctionName?.Ref === functionLogicalId,
  );
  if (!found) throw new Error(`no alias for ${functionLogicalId}`);
  return found;
}

/** Directory of a function's bundled code inside the cloud assembly. */
export function bundleDir(assemblyDir: string, fn: Resource): string {
  const key: string = fn.Properties.Code.S3Key;
  return join(assemblyDir, `asset.${key.replace(/\.zip$/, "")}`);
}

/** Every metric an alarm reads: the single metric form or each MetricStat of a math alarm. */
export function alarmMetrics(
  alarm: Resource,
): { namespace: string; name: string; dimensions: Record<string, unknown> }[] {
  const p = alarm.Properties;
  const toDims = (dims: { Name: string; Value: unknown }[] = []) =>
    Object.fromEntries(dims.map((d) => [d.Name, d.Value]));
  if (p.MetricName) return [{ namespace: p.Namespace, name: p.MetricName, dimensions: toDims(p.Dimensions) }];
  return (p.Metrics as any[])
    .filter((m) => m.MetricStat)
    .map((m) => ({
      namespace: m.MetricStat.Metric.Namespace,
      name: m.MetricStat.Metric.MetricName,
      dimensions: toDims(m.MetricStat.Metric.Dimensions),
    }));
}
