/**
 * The rehearsal's CloudWatch: raw metric values by namespace, name and exact
 * dimension set, bucketed by (compressed) minute. Two producers write into
 * it: the handlers' Powertools EMF lines (as CloudWatch Logs would extract
 * them) and the local alias (the AWS/Lambda metrics Lambda itself publishes).
 */

export type Dimensions = Readonly<Record<string, string>>;

export class MetricStatError extends Error {}

function keyOf(namespace: string, name: string, dimensions: Dimensions): string {
  const dims = Object.keys(dimensions)
    .sort()
    .map((d) => [d, dimensions[d]]);
  return JSON.stringify([namespace, name, dims]);
}

export class MetricStore {
  /** key → minute → raw values. */
  private readonly values = new Map<string, Map<number, number[]>>();

  /** One raw value; CloudWatch matches queries to the exact dimension set it was published with. */
  record(namespace: string, name: string, dimensions: Dimensions, minute: number, value: number): void {
    const key = keyOf(namespace, name, dimensions);
    let byMinute = this.values.get(key);
    if (!byMinute) {
      byMinute = new Map();
      this.values.set(key, byMinute);
    }
    const bucket = byMinute.get(minute);
    if (bucket) bucket.push(value);
    else byMinute.set(minute, [value]);
  }

  /** Raw values of minutes [fromMinute, fromMinute + minutes). */
  valuesIn(namespace: string, name: string, dimensions: Dimensions, fromMinute: number, minutes: number): number[] {
    const byMinute = this.values.get(keyOf(namespace, name, dimensions));
    if (!byMinute) return [];
    const out: number[] = [];
    for (let m = fromMinute; m < fromMinute + minutes; m++) out.push(...(byMinute.get(m) ?? []));
    return out;
  }

  /**
   * Every EMF metric of a Powertools line: for each directive, each metric's
   * value(s) under each of its dimension sets. Returns how many values it recorded.
   */
  recordEmf(doc: EmfDocument, minute: number): number {
    let recorded = 0;
    for (const directive of doc._aws?.CloudWatchMetrics ?? []) {
      for (const dimensionNames of directive.Dimensions ?? [[]]) {
        const dimensions: Record<string, string> = {};
        for (const name of dimensionNames) dimensions[name] = String(doc[name]);
        for (const metric of directive.Metrics ?? []) {
          const raw = doc[metric.Name];
          for (const value of Array.isArray(raw) ? raw : [raw]) {
            if (typeof value !== "number" || !Number.isFinite(value)) continue;
            this.record(directive.Namespace, metric.Name, dimensions, minute, value);
            recorded++;
          }
        }
      }
    }
    return recorded;
  }
}

export interface EmfDocument {
  _aws?: {
    Timestamp?: number;
    CloudWatchMetrics?: { Namespace: string; Dimensions?: string[][]; Metrics?: { Name: string; Unit?: string }[] }[];
  };
  [field: string]: unknown;
}

/** The EMF document of one stdout line, or undefined for anything else (logs, banners). */
export function parseEmfLine(line: string): EmfDocument | undefined {
  const trimmed = line.trim();
  if (!trimmed.startsWith("{") || !trimmed.includes('"_aws"')) return undefined;
  try {
    const doc = JSON.parse(trimmed) as EmfDocument;
    return Array.isArray(doc._aws?.CloudWatchMetrics) ? doc : undefined;
  } catch {
    return undefined;
  }
}

/**
 * One statistic of a period's raw values, or undefined when the period has no
 * data (CloudWatch then has no datapoint). Percentiles are exact nearest-rank
 * percentiles of the raw values (pNN: the smallest value with at least NN % of
 * the values at or below it); CloudWatch approximates them for large counts.
 */
export function statistic(stat: string, values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  switch (stat) {
    case "Sum":
      return values.reduce((a, b) => a + b, 0);
    case "SampleCount":
      return values.length;
    case "Average":
      return values.reduce((a, b) => a + b, 0) / values.length;
    case "Minimum":
      return Math.min(...values);
    case "Maximum":
      return Math.max(...values);
  }
  const percentile = /^p(\d{1,2}(?:\.\d+)?|100)$/.exec(stat);
  if (percentile) {
    const p = Number(percentile[1]);
    const sorted = [...values].sort((a, b) => a - b);
    // (p * n) / 100, not p / 100 * n: 99.9 / 100 * 1000 is 999.0000000000001 in floating point.
    const rank = Math.max(1, Math.ceil((p * sorted.length) / 100));
    return sorted[rank - 1];
  }
  throw new MetricStatError(`statistic ${JSON.stringify(stat)} is not supported by the rehearsal`);
}
