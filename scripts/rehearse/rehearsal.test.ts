/**
 * Whole rehearsals in-process, against the real prod template's schedule and
 * alarms: fake versions are the real handler factories with injected faults
 * (test/rehearsal-fakes.ts), dispatch is sequential with simulated durations.
 * Assertions are on the timeline and derived from the template's own alarm
 * definitions, not on numbers copied from the implementation.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RENDER_VERSION } from "../../packages/render/index";
import { synthesizeStage } from "../../stacks/test/synth";
import { MemoryTileStore, fakeVersion } from "../../test/rehearsal-fakes";
import type { RenderVersionOwners } from "../../functions/lib/render-version-owners";
import { type AliasedFunction, WeightedAlias } from "./alias";
import { type RehearsalResult, prefillCache, runRehearsal } from "./engine";
import { MetricStore } from "./metrics";
import { type RehearsalTemplate, readTemplate } from "./template";
import { formatTimeline } from "./timeline";
import { type TrafficOptions, seededRandom } from "./traffic";

const VERSIONS = { baseline: "1", candidate: "2" };
let template: RehearsalTemplate;
const scratch = mkdtempSync(join(tmpdir(), "fractile-rehearsal-test-"));
const templateFile = join(scratch, "prod.json");

beforeAll(async () => {
  const prod = await synthesizeStage("prod");
  rmSync(prod.assemblyDir, { recursive: true, force: true });
  writeFileSync(templateFile, JSON.stringify(prod.template.toJSON()));
  template = readTemplate(prod.template.toJSON() as never, () => VERSIONS.candidate);
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Scenario {
  drill?: { faultRate: number; latencyMs: number };
  candidateRenderVersion?: string;
  /** Both versions forward tiles of the other's render version to its owner through the alias. */
  forwardToOwner?: boolean;
  traffic?: Partial<TrafficOptions>;
}

async function rehearse(scenario: Scenario): Promise<RehearsalResult & { text: string }> {
  const traffic: TrafficOptions = { perMinute: 300, seed: 1, ...scenario.traffic };
  const store = new MetricStore();
  const tiles = new MemoryTileStore();
  let alias: WeightedAlias;
  const emf = (doc: Parameters<MetricStore["recordEmf"]>[0]) => {
    if (alias.minute > 0) store.recordEmf(doc, alias.minute);
  };
  const candidateRenderVersion = scenario.candidateRenderVersion ?? RENDER_VERSION;
  const owners: RenderVersionOwners | undefined = scenario.forwardToOwner
    ? {
        async forward(renderVersion, event) {
          const answer = await alias.handleOwner(renderVersion, { method: "GET", path: event.rawPath });
          if (answer.noOwner) return undefined;
          return {
            statusCode: answer.status,
            headers: answer.headers,
            body: answer.body.toString("base64"),
            isBase64Encoded: true,
          };
        },
      }
    : undefined;
  const baseline = fakeVersion(template.functions, {
    functionVersion: VERSIONS.baseline,
    renderVersion: RENDER_VERSION,
    store: tiles,
    emf,
    owners,
  });
  const candidate = fakeVersion(template.functions, {
    functionVersion: VERSIONS.candidate,
    renderVersion: candidateRenderVersion,
    store: tiles,
    emf,
    drill: scenario.drill,
    owners,
  });
  const functions: AliasedFunction[] = template.functions.map((info) => ({
    info,
    baseline: baseline[info.name],
    candidate: candidate[info.name],
  }));
  alias = new WeightedAlias({
    functions,
    routes: template.routes,
    store,
    versions: VERSIONS,
    random: seededRandom(traffic.seed),
  });
  alias.setRenderVersions({ baseline: RENDER_VERSION, candidate: candidateRenderVersion });
  await prefillCache(alias, traffic, RENDER_VERSION);
  const result = await runRehearsal({
    template,
    alias,
    store,
    traffic,
    initialRenderVersion: RENDER_VERSION,
    send: (request) => alias.handle(request),
    dispatch: { kind: "sequential" },
  });
  const text = formatTimeline(result, VERSIONS);
  if (process.env.SHOW_TIMELINE) console.log(text);
  return { ...result, text };
}

const alarmNamed = (name: string) => template.alarms.find((a) => a.name === name)!;
const tilesRelease = () => template.releases.find((r) => r.functionName.endsWith("-tiles"))!;

describe("rehearsal against the prod template", () => {
  it("evaluates exactly the alarms a deployment group watches, not the stack's other alarms", () => {
    const watched = template.releases.flatMap((r) => r.alarmNames).sort();
    expect(watched.length).toBeGreaterThan(0);
    expect(template.alarms.map((a) => a.name).sort()).toEqual([...new Set(watched)]);
  });

  it("promotes a healthy candidate after the whole linear shift, with every alarm quiet", async () => {
    const result = await rehearse({});

    expect(result.verdict).toEqual({ kind: "promote", minutes: result.rows.length });
    // One row per minute of the schedule, the candidate's share growing as the template says.
    const schedule = tilesRelease().schedule;
    expect(result.rows.map((r) => r.percent[tilesRelease().deploymentGroup])).toEqual(
      result.rows.map((r) => schedule.percentAt(r.minute)),
    );
    expect(schedule.percentAt(result.rows.length + 1)).toBe(100);
    for (const row of result.rows) {
      expect(row.counts.candidate.requests).toBeGreaterThan(0);
      expect(row.counts.candidate.serverErrors + row.counts.baseline.serverErrors).toBe(0);
      expect(row.alarms.every((a) => a.state !== "ALARM")).toBe(true);
    }
    // The candidate's share of requests follows the weights (seeded draw, so roughly).
    const last = result.rows.at(-1)!;
    const share = last.counts.candidate.requests / (last.counts.candidate.requests + last.counts.baseline.requests);
    expect(share).toBeGreaterThan(0.8);
    expect(result.text.split("\n").at(-1)).toBe("verdict: promote");
  });

  it("rolls an 80 %-fault candidate back at the first minute its alarm can fire", async () => {
    const result = await rehearse({ drill: { faultRate: 0.8, latencyMs: 0 } });

    expect(result.verdict.kind).toBe("rollback");
    if (result.verdict.kind !== "rollback") return;
    const alarm = alarmNamed(result.verdict.alarm);
    expect(tilesRelease().alarmNames).toContain(alarm.name);
    // It fires as soon as it has datapointsToAlarm breaching periods: the earliest possible minute.
    expect(result.verdict.minute).toBe(alarm.datapointsToAlarm * alarm.periodMinutes);
    expect(result.rows).toHaveLength(result.verdict.minute);
    const last = result.rows.at(-1)!;
    expect(last.alarms.find((a) => a.name === alarm.name)!.state).toBe("ALARM");
    // The faults are the candidate's: the baseline answered without a single 5xx.
    for (const row of result.rows) {
      expect(row.counts.baseline.serverErrors).toBe(0);
      // Tile requests are 80 % of the traffic mix, and 80 % of those fail.
      expect(row.counts.candidate.serverErrors).toBeGreaterThan(row.counts.candidate.requests / 3);
    }
    expect(result.text.split("\n").at(-1)).toBe(
      `verdict: rollback at minute ${result.verdict.minute} (alarm ${alarm.name})`,
    );
  });

  it("rolls a candidate slowed past the p99 threshold back by the duration alarm", async () => {
    const duration = template.alarms.find((a) => a.name.endsWith("tiles-p99-duration"))!;
    const result = await rehearse({ drill: { faultRate: 0, latencyMs: duration.threshold + 1000 } });

    expect(result.verdict).toEqual({ kind: "rollback", minute: duration.datapointsToAlarm, alarm: duration.name });
    expect(duration.queries.map((q) => [q.name, q.stat])).toEqual([["Duration", "p99"]]);
    const last = result.rows.at(-1)!;
    expect(last.alarms.find((a) => a.name === duration.name)!.datapoints.every((d) => d! > duration.threshold)).toBe(
      true,
    );
    expect(last.counts.candidate.serverErrors).toBe(0);
  });

  it("promotes a candidate whose faults and latency stay under every threshold (the floors are real)", async () => {
    const duration = template.alarms.find((a) => a.name.endsWith("tiles-p99-duration"))!;
    const result = await rehearse({
      drill: { faultRate: 0.01, latencyMs: duration.threshold / 2 },
      traffic: { perMinute: 100 },
    });

    expect(result.verdict.kind).toBe("promote");
    // Not vacuous: the candidate did fail some requests and was slower, just not enough.
    const candidateErrors = result.rows.reduce((sum, r) => sum + r.counts.candidate.serverErrors, 0);
    expect(candidateErrors).toBeGreaterThan(0);
    const p99 = result.rows.at(-1)!.alarms.find((a) => a.name === duration.name)!;
    expect(p99.datapoints.at(-1)).toBeGreaterThanOrEqual(duration.threshold / 2);
  });

  it("shows unknown_render_version holes in a render-version release without forwarding", async () => {
    const result = await rehearse({ candidateRenderVersion: `${RENDER_VERSION}-next` });

    // Viewers that read the candidate's /meta ask for its tiles; the baseline cannot render them (and the reverse).
    expect(result.rows.some((r) => r.counts.baseline.unknownRenderVersion > 0)).toBe(true);
    expect(result.rows.some((r) => r.counts.candidate.unknownRenderVersion > 0)).toBe(true);
    expect(result.text).toContain("404rv");
  });

  it("shows no holes when each version forwards the other render version's tiles to its owner", async () => {
    const result = await rehearse({ candidateRenderVersion: `${RENDER_VERSION}-next`, forwardToOwner: true });

    for (const row of result.rows) {
      expect(row.counts.baseline.unknownRenderVersion + row.counts.candidate.unknownRenderVersion).toBe(0);
      expect(row.counts.baseline.serverErrors + row.counts.candidate.serverErrors).toBe(0);
    }
    // Not vacuous: the same traffic without forwarding has holes (the test above).
    expect(result.rows.at(-1)!.counts.candidate.requests).toBeGreaterThan(0);
    expect(result.verdict.kind).toBe("promote");
  });
});

describe("npm run rehearse, end to end", () => {
  // Real processes: the committed HEAD as baseline (its own worktree and wasm
  // build), this checkout as the candidate with the drill, four local servers,
  // the alias over HTTP. Kept short: it ends at the first alarm.
  it("rolls an 80 %-fault candidate back and cleans up after itself", async () => {
    const args = [
      "--template",
      templateFile,
      "--baseline",
      "HEAD",
      "--fault-rate",
      "0.8",
      "--minute-ms",
      "1500",
      "--rate",
      "150",
    ];
    const child = spawn(process.execPath, ["--import", "tsx", join("scripts", "rehearse", "cli.ts"), ...args], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));

    expect(code, `${stdout}\n${stderr}`).toBe(1);
    const lines = stdout.trim().split("\n");
    const verdict = /^verdict: rollback at minute (\d+) \(alarm (\S+)\)$/.exec(lines.at(-1)!);
    expect(verdict, stdout).not.toBeNull();
    const alarm = alarmNamed(verdict![2]);
    expect(tilesRelease().alarmNames).toContain(alarm.name);
    expect(Number(verdict![1])).toBe(alarm.datapointsToAlarm * alarm.periodMinutes);
    // Timeline rows: minute, shift | baseline req 5xx 404rv thr | candidate req 5xx 404rv thr | alarms.
    const rows = lines
      .map((line) =>
        /^\s+(\d+)\s+(\d+)%\s+\|\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+\|\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+\|/.exec(line),
      )
      .filter((m) => m !== null)
      .map((m) => m!.slice(1).map(Number));
    expect(rows.map((r) => r[0])).toEqual(Array.from({ length: Number(verdict![1]) }, (_, i) => i + 1));
    for (const [, , , baseline5xx, , , candidateRequests, candidate5xx] of rows) {
      expect(baseline5xx).toBe(0);
      expect(candidate5xx).toBeGreaterThan(0);
      expect(candidate5xx).toBeLessThanOrEqual(candidateRequests);
    }
    expect(stdout).toContain("rolled back: every live alias points at v1 again");
    // The baseline worktree it made is gone again.
    const baselineDir = /npm run build:wasm in (\S+)/.exec(stdout)![1];
    const worktrees = await new Promise<string>((resolve) => {
      const git = spawn("git", ["worktree", "list"]);
      let out = "";
      git.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
      git.once("exit", () => resolve(out));
    });
    expect(worktrees).not.toContain(baselineDir);
    expect(existsSync(baselineDir)).toBe(false);
  }, 240_000);
});
