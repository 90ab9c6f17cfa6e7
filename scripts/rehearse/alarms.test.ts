/**
 * The alarm evaluator against hand-computed CloudWatch cases: M of N, each
 * TreatMissingData, metric math with division by zero, percentiles, periods
 * longer than a minute, and EMF lines as Powertools writes them.
 */
import { describe, expect, it } from "vitest";
import { type AlarmDefinition, type AlarmState, evaluateAlarm } from "./alarms";
import { MetricMathError, evaluateExpression } from "./metric-math";
import { MetricStore, parseEmfLine, statistic } from "./metrics";

const NS = "Test";
const DIMS = { FunctionName: "f" };

/** A store holding one value per listed minute (1-based); undefined = no data that minute. */
function storeWith(series: Record<string, (number | undefined)[]>): MetricStore {
  const store = new MetricStore();
  for (const [name, values] of Object.entries(series)) {
    values.forEach((value, i) => {
      if (value !== undefined) store.record(NS, name, DIMS, i + 1, value);
    });
  }
  return store;
}

function metricAlarm(overrides: Partial<AlarmDefinition> = {}): AlarmDefinition {
  return {
    name: "a",
    queries: [{ id: "m", namespace: NS, name: "X", dimensions: DIMS, periodMinutes: 1, stat: "Sum" }],
    expressions: [],
    returnId: "m",
    periodMinutes: 1,
    evaluationPeriods: 5,
    datapointsToAlarm: 3,
    threshold: 5,
    comparison: "GreaterThanThreshold",
    treatMissingData: "missing",
    ...overrides,
  };
}

const stateAt = (alarm: AlarmDefinition, store: MetricStore, minute: number, previous?: AlarmState) =>
  evaluateAlarm(alarm, store, minute, previous).state;

describe("M of N", () => {
  it("alarms when at least DatapointsToAlarm of the last EvaluationPeriods breach, consecutive or not", () => {
    expect(stateAt(metricAlarm(), storeWith({ X: [6, 1, 7, 1, 8] }), 5)).toBe("ALARM");
    expect(stateAt(metricAlarm(), storeWith({ X: [6, 1, 7, 1, 1] }), 5)).toBe("OK");
    // At minute 6 the first breach has left the range: [1, 7, 1, 8, 1].
    expect(stateAt(metricAlarm(), storeWith({ X: [6, 1, 7, 1, 8, 1] }), 6)).toBe("OK");
  });

  it("compares with the operator's strictness", () => {
    const equal = storeWith({ X: [5, 5, 5, 5, 5] });
    expect(stateAt(metricAlarm(), equal, 5)).toBe("OK");
    expect(stateAt(metricAlarm({ comparison: "GreaterThanOrEqualToThreshold" }), equal, 5)).toBe("ALARM");
    expect(stateAt(metricAlarm({ comparison: "LessThanThreshold", threshold: 6 }), equal, 5)).toBe("ALARM");
    expect(stateAt(metricAlarm({ comparison: "LessThanOrEqualToThreshold", threshold: 4 }), equal, 5)).toBe("OK");
  });
});

describe("missing data", () => {
  const sparse = () => storeWith({ X: [undefined, undefined, 7, undefined, 8] });

  it("notBreaching counts a missing datapoint as fine", () => {
    const evaluation = evaluateAlarm(metricAlarm({ treatMissingData: "notBreaching" }), sparse(), 5);
    expect(evaluation.state).toBe("OK");
    expect(evaluation.breaching).toBe(2);
    expect(evaluation.datapoints).toEqual([undefined, undefined, 7, undefined, 8]);
  });

  it("breaching counts a missing datapoint as a breach", () => {
    const evaluation = evaluateAlarm(metricAlarm({ treatMissingData: "breaching" }), sparse(), 5);
    expect(evaluation.state).toBe("ALARM");
    expect(evaluation.breaching).toBe(5);
    expect(stateAt(metricAlarm({ treatMissingData: "breaching" }), new MetricStore(), 5)).toBe("ALARM");
  });

  it("missing evaluates the datapoints present, and has INSUFFICIENT_DATA when there are none", () => {
    expect(stateAt(metricAlarm(), sparse(), 5)).toBe("OK");
    expect(stateAt(metricAlarm(), storeWith({ X: [undefined, 7, undefined, 8, 9] }), 5)).toBe("ALARM");
    expect(stateAt(metricAlarm(), new MetricStore(), 5, "ALARM")).toBe("INSUFFICIENT_DATA");
  });

  it("ignore keeps the current state when the range has no data", () => {
    const ignore = metricAlarm({ treatMissingData: "ignore" });
    expect(stateAt(ignore, new MetricStore(), 5, "ALARM")).toBe("ALARM");
    expect(stateAt(ignore, new MetricStore(), 5, "OK")).toBe("OK");
    expect(stateAt(ignore, storeWith({ X: [undefined, 7, undefined, 8, 9] }), 5, "OK")).toBe("ALARM");
  });

  it("treats periods before the rehearsal's first minute as missing", () => {
    const early = evaluateAlarm(
      metricAlarm({ treatMissingData: "notBreaching", evaluationPeriods: 3, datapointsToAlarm: 2 }),
      storeWith({ X: [9] }),
      1,
    );
    expect(early.datapoints).toEqual([undefined, undefined, 9]);
    expect(early.state).toBe("OK");
  });
});

describe("metric math", () => {
  const rateAlarm = (expression: string, treatMissingData: AlarmDefinition["treatMissingData"] = "notBreaching") =>
    metricAlarm({
      queries: [
        { id: "errors", namespace: NS, name: "Errors", dimensions: DIMS, periodMinutes: 1, stat: "Sum" },
        { id: "invocations", namespace: NS, name: "Invocations", dimensions: DIMS, periodMinutes: 1, stat: "Sum" },
      ],
      expressions: [{ id: "rate", expression }],
      returnId: "rate",
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      treatMissingData,
    });

  it("drops the datapoint of a period that divides by zero", () => {
    const store = storeWith({ Errors: [1, 2, 3], Invocations: [10, 0, 20] });
    const evaluation = evaluateAlarm(rateAlarm("100 * errors / invocations"), store, 3);
    expect(evaluation.datapoints).toEqual([10, undefined, 15]);
    expect(evaluation.state).toBe("ALARM");
    // As missing data, the dropped period cannot make the second breach under notBreaching...
    const twoPeriods = storeWith({ Errors: [0, 2, 3], Invocations: [10, 0, 20] });
    expect(stateAt(rateAlarm("100 * errors / invocations"), twoPeriods, 3)).toBe("OK");
    // ...and makes it under breaching.
    expect(stateAt(rateAlarm("100 * errors / invocations", "breaching"), twoPeriods, 3)).toBe("ALARM");
  });

  it("IF with FILL gives every period a value and guards the division (the 5xx-rate alarm's shape)", () => {
    const expression = "IF(FILL(invocations, 0) >= 10, 100 * FILL(errors, 0) / FILL(invocations, 0), 0)";
    // Minute 1: no data at all; 2: 5 of 5 failed but under the 10-invocation floor; 3: 2 of 20.
    const store = storeWith({ Errors: [undefined, 5, 2], Invocations: [undefined, 5, 20] });
    const evaluation = evaluateAlarm(rateAlarm(expression), store, 3);
    expect(evaluation.datapoints).toEqual([0, 0, 10]);
    expect(evaluation.state).toBe("OK");
  });

  it("evaluates operators with CloudWatch's precedence and refuses what it does not support", () => {
    const none = {};
    expect(evaluateExpression("1 + 2 * 3", none, 1)).toBe(7);
    expect(evaluateExpression("(1 + 2) * 3", none, 1)).toBe(9);
    expect(evaluateExpression("2 ^ 3 ^ 2", none, 1)).toBe(512);
    expect(evaluateExpression("-2 + 5 > 2 AND 1", none, 1)).toBe(1);
    expect(evaluateExpression("SUM([a, b])", { a: [1, undefined, 3], b: [10, 20, undefined] }, 3)).toEqual([11, 20, 3]);
    expect(evaluateExpression("MAX(a)", { a: [1, undefined, 3] }, 3)).toBe(3);
    expect(evaluateExpression("IF(a > 1, a)", { a: [1, 2, undefined] }, 3)).toEqual([undefined, 2, undefined]);
    expect(() => evaluateExpression("ANOMALY_DETECTION_BAND(a)", { a: [1] }, 1)).toThrow(MetricMathError);
    expect(() => evaluateExpression("a +", { a: [1] }, 1)).toThrow(/unexpected end/);
    expect(() => evaluateExpression("b", { a: [1] }, 1)).toThrow(/unknown metric id "b"/);
  });
});

describe("statistics", () => {
  const oneTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

  it("computes nearest-rank percentiles", () => {
    expect(statistic("p99", oneTo(100))).toBe(99);
    expect(statistic("p99", oneTo(10))).toBe(10);
    expect(statistic("p50", [4, 1, 3, 2])).toBe(2);
    expect(statistic("p90", [5])).toBe(5);
    expect(statistic("p99.9", oneTo(1000))).toBe(999);
  });

  it("computes the basic statistics and has no datapoint without values", () => {
    expect([statistic("Sum", [1, 2, 3]), statistic("Average", [1, 2, 3]), statistic("SampleCount", [1, 2, 3])]).toEqual(
      [6, 2, 3],
    );
    expect([statistic("Minimum", [3, 1, 2]), statistic("Maximum", [3, 1, 2])]).toEqual([1, 3]);
    expect(statistic("p99", [])).toBeUndefined();
    expect(() => statistic("tm99", [1])).toThrow(/not supported/);
  });

  it("alarms on a p99 duration: one slow request in a hundred is not enough, two are", () => {
    const store = new MetricStore();
    const alarm = metricAlarm({
      queries: [{ id: "m", namespace: NS, name: "Duration", dimensions: DIMS, periodMinutes: 1, stat: "p99" }],
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      threshold: 5000,
    });
    for (const ms of [...Array(99).fill(50), 9000]) store.record(NS, "Duration", DIMS, 1, ms);
    expect(evaluateAlarm(alarm, store, 1).datapoints).toEqual([50]);
    for (const ms of [...Array(98).fill(50), 9000, 9000]) store.record(NS, "Duration", DIMS, 2, ms);
    expect(evaluateAlarm(alarm, store, 2)).toMatchObject({ state: "ALARM", datapoints: [9000] });
  });

  it("aggregates a period of several minutes, complete only at its end", () => {
    const alarm = metricAlarm({
      periodMinutes: 2,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      queries: [{ ...metricAlarm().queries[0], periodMinutes: 2 }],
    });
    const store = storeWith({ X: [3, 4, 100] });
    expect(evaluateAlarm(alarm, store, 2).datapoints).toEqual([7]);
    // Minute 3 only half-fills the second period: the latest complete one is still minutes 1-2.
    expect(evaluateAlarm(alarm, store, 3).datapoints).toEqual([7]);
    expect(evaluateAlarm(alarm, store, 4).datapoints).toEqual([100]);
  });
});

describe("EMF", () => {
  it("records every value of a Powertools line under each of its dimension sets, and ignores log lines", () => {
    const line = JSON.stringify({
      _aws: {
        Timestamp: 1,
        CloudWatchMetrics: [
          {
            Namespace: "Fractile",
            Dimensions: [["service", "FunctionVersion"]],
            Metrics: [
              { Name: "ServerErrors", Unit: "Count" },
              { Name: "RenderMs", Unit: "Milliseconds" },
            ],
          },
        ],
      },
      service: "fractile-prod-tiles",
      FunctionVersion: "2",
      ServerErrors: 1,
      RenderMs: [12, 30],
    });
    const store = new MetricStore();
    expect(store.recordEmf(parseEmfLine(line)!, 3)).toBe(3);
    const dims = { service: "fractile-prod-tiles", FunctionVersion: "2" };
    expect(store.valuesIn("Fractile", "RenderMs", dims, 3, 1)).toEqual([12, 30]);
    expect(store.valuesIn("Fractile", "ServerErrors", dims, 3, 1)).toEqual([1]);
    // A query must name the exact dimension set: a subset matches nothing.
    expect(store.valuesIn("Fractile", "ServerErrors", { service: "fractile-prod-tiles" }, 3, 1)).toEqual([]);
    expect(parseEmfLine('{"level":"INFO","message":"tile"}')).toBeUndefined();
    expect(parseEmfLine("fractile listening on http://127.0.0.1:1234")).toBeUndefined();
  });
});
