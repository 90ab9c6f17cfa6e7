/**
 * CloudWatch metric alarms, evaluated the way CloudWatch does, on the
 * rehearsal's MetricStore. Definitions come from the synthesized template
 * (template.ts), already resolved to plain values.
 *
 * Each evaluation looks at the last `evaluationPeriods` complete periods (the
 * evaluation range) and classifies each datapoint as breaching, not
 * breaching or missing; missing ones are then treated per TreatMissingData:
 * - notBreaching: as within the threshold; breaching: as breaching;
 * - missing: when every datapoint of the range is missing the alarm goes to
 *   INSUFFICIENT_DATA, otherwise only the present datapoints count;
 * - ignore: like missing, except a range with no data keeps the current state.
 * The alarm is in ALARM when at least `datapointsToAlarm` datapoints breach,
 * otherwise OK. (CloudWatch may also look further back than the range when
 * data is missing under missing/ignore; the rehearsal does not.)
 * Periods are whole minutes counted from the rehearsal's minute 1; a period of
 * P minutes is complete at the end of every P-th minute; periods before
 * minute 1 have no data.
 */
import { type MathValue, type Series, evaluateExpression } from "./metric-math";
import { type Dimensions, type MetricStore, statistic } from "./metrics";

export type AlarmState = "OK" | "ALARM" | "INSUFFICIENT_DATA";
export type TreatMissingData = "missing" | "notBreaching" | "breaching" | "ignore";
export type Comparison =
  | "GreaterThanThreshold"
  | "GreaterThanOrEqualToThreshold"
  | "LessThanThreshold"
  | "LessThanOrEqualToThreshold";

export class AlarmDefinitionError extends Error {}

export interface MetricQuery {
  id: string;
  namespace: string;
  name: string;
  dimensions: Dimensions;
  periodMinutes: number;
  /** Sum, Average, Minimum, Maximum, SampleCount or pNN. */
  stat: string;
}

export interface AlarmDefinition {
  name: string;
  /** A single metric, or metric-math queries of which `returnId` is the alarm's series. */
  queries: MetricQuery[];
  expressions: { id: string; expression: string }[];
  returnId: string;
  periodMinutes: number;
  evaluationPeriods: number;
  datapointsToAlarm: number;
  threshold: number;
  comparison: Comparison;
  treatMissingData: TreatMissingData;
}

export interface AlarmEvaluation {
  state: AlarmState;
  /** The alarm's datapoints over the evaluation range, oldest first (undefined = missing). */
  datapoints: Series;
  breaching: number;
  reason: string;
}

const COMPARE: Record<Comparison, { symbol: string; test: (value: number, threshold: number) => boolean }> = {
  GreaterThanThreshold: { symbol: ">", test: (v, t) => v > t },
  GreaterThanOrEqualToThreshold: { symbol: ">=", test: (v, t) => v >= t },
  LessThanThreshold: { symbol: "<", test: (v, t) => v < t },
  LessThanOrEqualToThreshold: { symbol: "<=", test: (v, t) => v <= t },
};

export function isComparison(value: string): value is Comparison {
  return Object.hasOwn(COMPARE, value);
}

/** The series of one alarm over periods `lastPeriod - count + 1 .. lastPeriod`. */
export function alarmSeries(alarm: AlarmDefinition, store: MetricStore, lastPeriod: number, count: number): Series {
  const periods = Array.from({ length: count }, (_, i) => lastPeriod - count + 1 + i);
  const values: Record<string, MathValue> = {};
  for (const query of alarm.queries) {
    values[query.id] = periods.map((period) => {
      if (period < 1) return undefined;
      const fromMinute = (period - 1) * alarm.periodMinutes + 1;
      return statistic(
        query.stat,
        store.valuesIn(query.namespace, query.name, query.dimensions, fromMinute, alarm.periodMinutes),
      );
    });
  }
  const pending = new Map(alarm.expressions.map((e) => [e.id, e.expression]));
  const resolve = (id: string, seen: string[] = []): MathValue => {
    if (values[id] !== undefined) return values[id];
    const expression = pending.get(id);
    if (expression === undefined) throw new AlarmDefinitionError(`alarm ${alarm.name}: no query with id "${id}"`);
    if (seen.includes(id))
      throw new AlarmDefinitionError(`alarm ${alarm.name}: expressions refer to each other (${seen.join(" → ")})`);
    // Expressions may use other expressions: resolve their ids first.
    for (const other of pending.keys()) {
      if (other !== id && new RegExp(`\\b${other}\\b`).test(expression)) resolve(other, [...seen, id]);
    }
    values[id] = evaluateExpression(expression, values, count);
    return values[id];
  };
  const result = resolve(alarm.returnId);
  return typeof result === "number" ? Array(count).fill(Number.isNaN(result) ? undefined : result) : result;
}

/** The alarm's state after the minute `minute` (1-based) has ended. */
export function evaluateAlarm(
  alarm: AlarmDefinition,
  store: MetricStore,
  minute: number,
  previous: AlarmState = "INSUFFICIENT_DATA",
): AlarmEvaluation {
  const lastPeriod = Math.floor(minute / alarm.periodMinutes);
  const datapoints = alarmSeries(alarm, store, lastPeriod, alarm.evaluationPeriods);
  const { symbol, test } = COMPARE[alarm.comparison];
  const present = datapoints.filter((d): d is number => d !== undefined);
  const missing = datapoints.length - present.length;
  let breaching = present.filter((d) => test(d, alarm.threshold)).length;
  if (alarm.treatMissingData === "breaching") breaching += missing;

  const shown = datapoints.map((d) => (d === undefined ? "-" : formatNumber(d))).join(", ");
  const rule = `${symbol} ${formatNumber(alarm.threshold)}`;
  if (present.length === 0 && (alarm.treatMissingData === "missing" || alarm.treatMissingData === "ignore")) {
    const state = alarm.treatMissingData === "missing" ? "INSUFFICIENT_DATA" : previous;
    return {
      state,
      datapoints,
      breaching: 0,
      reason: `no data in the last ${datapoints.length} periods (${alarm.treatMissingData})`,
    };
  }
  const state: AlarmState = breaching >= alarm.datapointsToAlarm ? "ALARM" : "OK";
  return {
    state,
    datapoints,
    breaching,
    reason:
      `${breaching} of [${shown}] ${rule} ` +
      `(${alarm.datapointsToAlarm} needed, missing = ${alarm.treatMissingData})`,
  };
}

function formatNumber(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}
