/**
 * `npm run rehearse`: a release of this checkout, offline. The baseline (a
 * git ref, built in a temporary worktree) and the candidate (this checkout)
 * each run as their own processes, one per function, sharing one tile cache;
 * a weighted alias in front shifts traffic on the stage's CodeDeploy schedule,
 * time-compressed; the stage's own alarms, read from the synthesized template,
 * are evaluated every minute on the metrics the processes emit. Prints a
 * timeline and, last, `verdict: promote` (exit 0) or
 * `verdict: rollback at minute N (alarm NAME)` (exit 1). Exit 2: could not rehearse.
 * Guide: docs/operations.md, "Rehearse a release offline".
 */
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { MAX_DRILL_LATENCY_MS } from "../../functions/lib/drill";
import { type AliasedFunction, WeightedAlias } from "./alias";
import { startAliasServer } from "./alias-server";
import { type Baseline, defaultBaselineRef, prepareBaseline } from "./baseline";
import { prefillCache, runRehearsal } from "./engine";
import { MetricStore } from "./metrics";
import { type VersionProcess, startVersionProcess } from "./processes";
import { readTemplate } from "./template";
import { commonPrefix, formatRow, formatVerdict, timelineHeader } from "./timeline";
import { seededRandom } from "./traffic";

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
/** Version numbers the rehearsal gives the two function versions (any two distinct numbers would do). */
const VERSIONS = { baseline: "1", candidate: "2" } as const;

export class UsageError extends Error {}

export const USAGE = `usage: npm run rehearse -- [options]
  --stage NAME            stage whose template (schedule, alarms) is rehearsed (default prod)
  --baseline REF          git ref of the release before (default: latest v* tag, else HEAD~1)
  --minute-ms N           real milliseconds per compressed minute (default 4000)
  --rate N                requests per compressed minute, all functions (default 200)
  --seed N                traffic and alias seed; same seed, same requests (default 1)
  --fault-rate R          drill: the candidate answers this share (0..1) of tile requests 500
  --added-latency-ms N    drill: the candidate waits N ms before every tile request
  --template FILE         use this synthesized template (JSON) instead of synthesizing --stage
  --port N                port of the weighted alias (default: any free port)`;

export interface RehearseArgs {
  stage: string;
  baseline?: string;
  minuteMs: number;
  perMinute: number;
  seed: number;
  drill?: { faultRate: number; latencyMs: number };
  template?: string;
  port: number;
}

function number(
  name: string,
  raw: string | undefined,
  fallback: number,
  check: (n: number) => boolean,
  rule: string,
): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (raw.trim() === "" || !Number.isFinite(value) || !check(value))
    throw new UsageError(`--${name} must be ${rule}; got ${JSON.stringify(raw)}`);
  return value;
}

export function parseRehearseArgs(argv: readonly string[]): RehearseArgs {
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: Object.fromEntries(
        ["stage", "baseline", "minute-ms", "rate", "seed", "fault-rate", "added-latency-ms", "template", "port"].map(
          (o) => [o, { type: "string" }],
        ),
      ) as Record<string, { type: "string" }>,
      strict: true,
      allowPositionals: false,
    }) as { values: Record<string, string | undefined> });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const whole = (n: number) => Number.isInteger(n);
  const faultRate = number("fault-rate", values["fault-rate"], 0, (n) => n >= 0 && n <= 1, "a number from 0 to 1");
  const latencyMs = number(
    "added-latency-ms",
    values["added-latency-ms"],
    0,
    (n) => whole(n) && n >= 0 && n <= MAX_DRILL_LATENCY_MS,
    `a whole number from 0 to ${MAX_DRILL_LATENCY_MS}`,
  );
  return {
    stage: values.stage ?? "prod",
    baseline: values.baseline,
    minuteMs: number(
      "minute-ms",
      values["minute-ms"],
      4000,
      (n) => whole(n) && n >= 200 && n <= 60_000,
      "a whole number from 200 to 60000",
    ),
    perMinute: number(
      "rate",
      values.rate,
      200,
      (n) => whole(n) && n >= 1 && n <= 100_000,
      "a whole number from 1 to 100000",
    ),
    seed: number("seed", values.seed, 1, (n) => whole(n) && n >= 0 && n < 2 ** 32, "a whole number from 0 to 2^32-1"),
    drill: faultRate > 0 || latencyMs > 0 ? { faultRate, latencyMs } : undefined,
    template: values.template,
    port: number("port", values.port, 0, (n) => whole(n) && n >= 0 && n <= 65535, "a port number"),
  };
}

function synthesize(stage: string, out: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", path.join("scripts", "rehearse", "synth-template.ts"), stage, out],
      {
        cwd: REPO_ROOT,
        stdio: ["ignore", "ignore", "pipe"],
      },
    );
    const stderr: string[] = [];
    child.stderr!.on("data", (chunk: Buffer) => stderr.push(chunk.toString()));
    child.once("exit", (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`synthesizing stage ${stage} failed (${code}):\n${stderr.join("").slice(-4000)}`)),
    );
  });
}

async function renderVersionOf(target: VersionProcess): Promise<string> {
  const health = await target.invoke({ method: "GET", path: "/health" }, 10_000);
  return JSON.parse(health.body.toString("utf8")).renderVersion;
}

async function gitDescribe(): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn("git", ["describe", "--always", "--dirty", "--tags"], { cwd: REPO_ROOT });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.once("exit", () => resolve(out.trim() || "?"));
    child.once("error", () => resolve("?"));
  });
}

export async function rehearse(args: RehearseArgs, print: (line: string) => void): Promise<number> {
  const workDir = await mkdtemp(path.join(os.tmpdir(), "fractile-rehearsal-"));
  const processes: VersionProcess[] = [];
  let baseline: Baseline | undefined;
  let closeAlias: (() => Promise<void>) | undefined;
  const cleanup = async () => {
    await closeAlias?.();
    await Promise.all(processes.map((p) => p.stop()));
    await baseline?.remove();
    await rm(workDir, { recursive: true, force: true });
  };
  const onSignal = () => {
    print("interrupted: stopping the versions and removing the baseline worktree");
    cleanup().finally(() => process.exit(130));
  };
  // Whatever goes wrong, the worktree and the processes must not outlive the rehearsal.
  const onCrash = (error: unknown) => {
    console.error(`rehearse: could not rehearse: ${error instanceof Error ? error.stack : error}`);
    cleanup().finally(() => process.exit(2));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  process.once("uncaughtException", onCrash);
  try {
    const templateFile = args.template ?? path.join(workDir, "template.json");
    const baselineRef = args.baseline ?? (await defaultBaselineRef(REPO_ROOT));
    print(
      `preparing: ${args.template ? `template ${args.template}` : `synthesizing stage ${args.stage}`}; ` +
        `baseline ${baselineRef} in a git worktree`,
    );
    [baseline] = await Promise.all([
      prepareBaseline(REPO_ROOT, baselineRef, print),
      args.template ? Promise.resolve() : synthesize(args.stage, templateFile),
    ]);
    const template = readTemplate(JSON.parse(await readFile(templateFile, "utf8")), () => VERSIONS.candidate);

    const store = new MetricStore();
    // The alias and its server come first: the versions get its URL to ask for a render version's owner.
    const alias = new WeightedAlias({
      functions: [],
      routes: template.routes,
      store,
      versions: VERSIONS,
      random: seededRandom(args.seed),
    });
    const server = await startAliasServer(alias, args.port);
    closeAlias = server.close;
    const onEmf = (doc: Parameters<MetricStore["recordEmf"]>[0]) => {
      if (alias.minute > 0) store.recordEmf(doc, alias.minute);
    };
    const routed = template.functions.filter((f) => template.routes.some((r) => r.functionName === f.name));
    const tileCacheDir = path.join(workDir, "tiles");
    const started = await Promise.all(
      routed.flatMap((info) =>
        (["baseline", "candidate"] as const).map((side) =>
          startVersionProcess({
            root: side === "baseline" ? baseline!.root : REPO_ROOT,
            label: `${info.name} v${VERSIONS[side]} (${side})`,
            functionName: info.name,
            functionVersion: VERSIONS[side],
            environment: info.environment,
            tileCacheDir,
            ownerUrl: server.url,
            drill: side === "candidate" ? args.drill : undefined,
            onEmf,
          }).then((p) => {
            processes.push(p);
            return { info, side, process: p };
          }),
        ),
      ),
    );
    const functions: AliasedFunction[] = routed.map((info) => {
      const of = (side: "baseline" | "candidate") => started.find((s) => s.info === info && s.side === side)!.process;
      return { info, baseline: of("baseline"), candidate: of("candidate") };
    });
    alias.attach(functions);

    const healthFn = alias.functionFor({ method: "GET", path: "/health" });
    if (!healthFn) throw new Error("the template routes no function for GET /health");
    const renderVersions = {
      baseline: await renderVersionOf(healthFn.baseline as VersionProcess),
      candidate: await renderVersionOf(healthFn.candidate as VersionProcess),
    };
    alias.setRenderVersions(renderVersions);
    const traffic = { perMinute: args.perMinute, seed: args.seed };
    await prefillCache(alias, traffic, renderVersions.baseline);

    const gated = template.releases.map((r) => `${r.deploymentGroup}: ${r.schedule.name} (${r.schedule.describe})`);
    const prefix = commonPrefix(template.alarms.map((a) => a.name));
    const drillParts = [
      args.drill?.faultRate ? `${Math.round(args.drill.faultRate * 100)} % of tile requests fail` : "",
      args.drill?.latencyMs ? `+${args.drill.latencyMs} ms before every tile request` : "",
    ].filter(Boolean);
    const drill = drillParts.length ? `; drill: ${drillParts.join(", ")}` : "";
    print(`releases: ${gated.join("; ")}`);
    print(
      `alarms (${template.alarms.length}, from the template): ` +
        template.alarms.map((a) => a.name.slice(prefix.length)).join(", "),
    );
    print(
      `baseline  v${VERSIONS.baseline}: ${baseline!.ref} (${baseline!.commit.slice(0, 10)}), ` +
        `render version ${renderVersions.baseline}`,
    );
    print(
      `candidate v${VERSIONS.candidate}: this checkout (${await gitDescribe()}), ` +
        `render version ${renderVersions.candidate}${drill}`,
    );
    if (renderVersions.baseline !== renderVersions.candidate) {
      print(
        "render versions differ: a version forwards tiles of the other's render version to it (if its code does); " +
          "the 404rv columns count those it could not serve",
      );
    }
    print(
      `traffic: ${args.perMinute} requests a minute (seed ${args.seed}), ` +
        `1 minute = ${args.minuteMs} ms; alias at ${server.url}`,
    );
    print(timelineHeader(VERSIONS));

    const result = await runRehearsal({
      template,
      alias,
      store,
      traffic,
      initialRenderVersion: renderVersions.baseline,
      send: server.send,
      dispatch: { kind: "paced", minuteMs: args.minuteMs },
      // EMF lines are written before each answer; two turns of the event loop let the pipes deliver them.
      settle: async () => {
        for (let i = 0; i < 2; i++) await new Promise((resolve) => setImmediate(resolve));
      },
      onRow: (row) => print(formatRow(row, prefix, VERSIONS)),
    });
    if (result.verdict.kind === "rollback") {
      print(
        `rolled back: every live alias points at v${VERSIONS.baseline} again (100 %); ` +
          `v${VERSIONS.candidate} stays published, unused`,
      );
    } else {
      print(`promoted: every live alias points at v${VERSIONS.candidate} (100 %)`);
    }
    print(formatVerdict(result.verdict));
    return result.verdict.kind === "promote" ? 0 : 1;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    process.off("uncaughtException", onCrash);
    await cleanup();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  let args: RehearseArgs;
  try {
    args = parseRehearseArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`rehearse: ${error instanceof Error ? error.message : error}\n${USAGE}`);
    process.exit(2);
  }
  rehearse(args, (line) => console.log(line)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`rehearse: could not rehearse: ${error instanceof Error ? error.message : error}`);
      process.exit(2);
    },
  );
}
