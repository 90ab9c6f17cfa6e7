/**
 * The rehearsal loop, independent of how the versions run (processes or
 * in-process fakes): every compressed minute it sets the alias weights from
 * the deployment schedules, sends that minute's traffic through the alias,
 * waits for every answer, then evaluates every alarm of the template on what
 * was recorded. An alarm of a running release in ALARM rolls the whole release
 * back (on AWS the failed CodeDeploy deployment fails the CloudFormation
 * update, which rolls every alias back); when every release has shifted all
 * traffic the candidate is promoted.
 *
 * A minute ends when all of its requests are answered, not at a fixed wall
 * time, so slow answers stretch the rehearsal instead of spilling into the
 * next minute's datapoints.
 */
import { type AlarmEvaluation, type AlarmState, evaluateAlarm } from "./alarms";
import type { AliasAnswer, InvokeRequest, Side, WeightedAlias } from "./alias";
import type { MetricStore } from "./metrics";
import type { RehearsalTemplate } from "./template";
import { type PlannedRequest, type TrafficOptions, cachedTilePath, cachedTiles, planMinute } from "./traffic";

export interface VersionCounts {
  requests: number;
  /** 5xx answers, whatever produced them. */
  serverErrors: number;
  /** 404 unknown_render_version: a tile of a render version this function version does not own. */
  unknownRenderVersion: number;
  throttled: number;
}

export interface AlarmRow extends AlarmEvaluation {
  name: string;
  /** Watched by a release still shifting traffic (only those can roll back). */
  gating: boolean;
}

export interface TimelineRow {
  minute: number;
  /** Candidate percent by deployment group during this minute. */
  percent: Record<string, number>;
  counts: Record<Side, VersionCounts>;
  alarms: AlarmRow[];
  wallMs: number;
}

export type Verdict = { kind: "promote"; minutes: number } | { kind: "rollback"; minute: number; alarm: string };

export interface RehearsalResult {
  rows: TimelineRow[];
  verdict: Verdict;
}

export interface EngineOptions {
  template: RehearsalTemplate;
  alias: WeightedAlias;
  store: MetricStore;
  traffic: TrafficOptions;
  /** Render version every viewer starts with (the baseline's, from its /meta). */
  initialRenderVersion: string;
  /** Sends one request through the alias: directly in-process, or over HTTP to the alias server. */
  send(request: InvokeRequest): Promise<AliasAnswer>;
  /**
   * "paced": requests go out at their moment of a `minuteMs` minute, without
   * waiting for answers (real processes). "sequential": one after another,
   * no waiting at all (in-process fakes with simulated durations: a virtual clock).
   */
  dispatch: { kind: "paced"; minuteMs: number } | { kind: "sequential" };
  /** Lets late output (EMF lines on pipes) arrive before a minute is evaluated. */
  settle?: () => Promise<void>;
  onRow?: (row: TimelineRow) => void;
  /** Safety stop for schedules that never finish. */
  maxMinutes?: number;
  now?: () => number;
}

const emptyCounts = (): VersionCounts => ({ requests: 0, serverErrors: 0, unknownRenderVersion: 0, throttled: 0 });

function isUnknownRenderVersion(answer: AliasAnswer): boolean {
  if (answer.status !== 404) return false;
  try {
    return JSON.parse(answer.body.toString("utf8")).error === "unknown_render_version";
  } catch {
    return false;
  }
}

export async function runRehearsal(options: EngineOptions): Promise<RehearsalResult> {
  const { template, alias, store } = options;
  const now = options.now ?? (() => performance.now());
  const viewers = Array.from({ length: options.traffic.viewers ?? 16 }, () => options.initialRenderVersion);
  const alarmState = new Map<string, AlarmState>();
  const done = new Set<string>();
  const rows: TimelineRow[] = [];
  const maxMinutes = options.maxMinutes ?? 120;

  for (let minute = 1; minute <= maxMinutes; minute++) {
    const percent: Record<string, number> = {};
    for (const release of template.releases) {
      const p = release.schedule.percentAt(minute);
      if (p >= 100) done.add(release.deploymentGroup);
      percent[release.deploymentGroup] = Math.min(100, p);
      alias.setCandidatePercent(release.functionName, Math.min(100, p));
    }
    if (template.releases.every((r) => done.has(r.deploymentGroup))) {
      return { rows, verdict: { kind: "promote", minutes: minute - 1 } };
    }

    alias.minute = minute;
    const started = now();
    const counts: Record<Side, VersionCounts> = { baseline: emptyCounts(), candidate: emptyCounts() };
    const countAnswer = (answer: AliasAnswer, planned: PlannedRequest) => {
      if (!answer.functionName) return;
      const c = counts[answer.side];
      c.requests++;
      if (answer.throttled) c.throttled++;
      if (answer.status >= 500) c.serverErrors++;
      if (isUnknownRenderVersion(answer)) c.unknownRenderVersion++;
      if (planned.kind === "meta" && answer.status === 200) {
        const renderVersion = JSON.parse(answer.body.toString("utf8")).renderVersion;
        if (typeof renderVersion === "string") viewers[planned.viewer] = renderVersion;
      }
    };
    const sendPlanned = async (planned: PlannedRequest) => {
      const answer = await options.send({ method: "GET", path: planned.path(viewers[planned.viewer]) });
      countAnswer(answer, planned);
    };

    const plan = planMinute(options.traffic, minute);
    if (options.dispatch.kind === "sequential") {
      for (const planned of plan) await sendPlanned(planned);
    } else {
      const { minuteMs } = options.dispatch;
      const inFlight: Promise<void>[] = [];
      for (const planned of plan) {
        const wait = started + planned.at * minuteMs - now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        inFlight.push(sendPlanned(planned));
      }
      await Promise.all(inFlight);
      const rest = started + minuteMs - now();
      if (rest > 0) await new Promise((resolve) => setTimeout(resolve, rest));
    }
    await options.settle?.();

    const gatingAlarms = new Set(
      template.releases.filter((r) => !done.has(r.deploymentGroup)).flatMap((r) => r.alarmNames),
    );
    const alarms: AlarmRow[] = template.alarms.map((definition) => {
      const evaluation = evaluateAlarm(definition, store, minute, alarmState.get(definition.name));
      alarmState.set(definition.name, evaluation.state);
      return { name: definition.name, gating: gatingAlarms.has(definition.name), ...evaluation };
    });
    const row: TimelineRow = { minute, percent, counts, alarms, wallMs: now() - started };
    rows.push(row);
    options.onRow?.(row);

    const firing = alarms.find((a) => a.gating && a.state === "ALARM");
    if (firing) {
      for (const release of template.releases) alias.setCandidatePercent(release.functionName, 0);
      alias.minute = 0;
      return { rows, verdict: { kind: "rollback", minute, alarm: firing.name } };
    }
  }
  throw new Error(`the release did not finish within ${maxMinutes} minutes`);
}

/**
 * Puts the traffic's "cached" tiles into the shared cache through the
 * baseline directly (not through the alias, and before minute 1, so nothing
 * of it is counted): the cache a stage has before its release.
 */
export async function prefillCache(
  alias: WeightedAlias,
  traffic: TrafficOptions,
  renderVersion: string,
): Promise<void> {
  for (const tile of cachedTiles(traffic.seed)) {
    const request = { method: "GET", path: cachedTilePath(renderVersion, tile) };
    const fn = alias.functionFor(request);
    if (!fn) throw new Error(`no route for ${request.path} in the template`);
    const answer = await fn.baseline.invoke(request, fn.info.timeoutMs);
    if (answer.status !== 200) throw new Error(`prefill: the baseline answered ${answer.status} for ${request.path}`);
  }
}
