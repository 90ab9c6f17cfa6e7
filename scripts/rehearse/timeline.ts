/** The rehearsal's terminal output: one line per minute, alarm details, and the verdict as the last line. */
import type { RehearsalResult, TimelineRow, Verdict, VersionCounts } from "./engine";

/** The longest prefix every name shares, cut after a "-" or "." (e.g. "fractile-prod."). */
export function commonPrefix(names: readonly string[]): string {
  if (names.length < 2) return "";
  let prefix = names[0];
  for (const name of names) while (!name.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return prefix.slice(0, Math.max(prefix.lastIndexOf("-"), prefix.lastIndexOf(".")) + 1);
}

const pad = (text: string | number, width: number) => String(text).padStart(width);

function counts(c: VersionCounts): string {
  return `${pad(c.requests, 4)} ${pad(c.serverErrors, 4)} ${pad(c.unknownRenderVersion, 4)} ${pad(c.throttled, 3)}`;
}

export function timelineHeader(versions: { baseline: string; candidate: string }): string {
  return [
    `minute  shift | baseline v${versions.baseline}: req  5xx 404rv thr | ` +
      `candidate v${versions.candidate}: req  5xx 404rv thr | alarms`,
  ].join("\n");
}

export function formatRow(
  row: TimelineRow,
  alarmPrefix: string,
  versions: { baseline: string; candidate: string },
): string {
  const shares = [...new Set(Object.values(row.percent))].map((p) => `${p}%`).join("/");
  const inAlarm = row.alarms.filter((a) => a.state === "ALARM");
  const summary = inAlarm.length
    ? `ALARM ${inAlarm.map((a) => a.name.slice(alarmPrefix.length)).join(", ")}`
    : `${row.alarms.filter((a) => a.state === "OK").length}/${row.alarms.length} OK`;
  const lines = [
    `${pad(row.minute, 6)} ${pad(shares, 6)} | ` +
      `${" ".repeat(`baseline v${versions.baseline}:`.length - 1)}${counts(row.counts.baseline)} | ` +
      `${" ".repeat(`candidate v${versions.candidate}:`.length - 1)}${counts(row.counts.candidate)} | ${summary}`,
  ];
  // Detail for every alarm with a breaching datapoint: the values it saw.
  for (const alarm of row.alarms.filter((a) => a.breaching > 0 || a.state === "ALARM")) {
    lines.push(`${" ".repeat(15)}${alarm.state.padEnd(5)} ${alarm.name.slice(alarmPrefix.length)}: ${alarm.reason}`);
  }
  return lines.join("\n");
}

export function formatVerdict(verdict: Verdict): string {
  return verdict.kind === "promote"
    ? "verdict: promote"
    : `verdict: rollback at minute ${verdict.minute} (alarm ${verdict.alarm})`;
}

export function formatTimeline(result: RehearsalResult, versions: { baseline: string; candidate: string }): string {
  const prefix = commonPrefix(result.rows[0]?.alarms.map((a) => a.name) ?? []);
  return [
    timelineHeader(versions),
    ...result.rows.map((row) => formatRow(row, prefix, versions)),
    formatVerdict(result.verdict),
  ].join("\n");
}
