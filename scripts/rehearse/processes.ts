/**
 * One function version as a process: a checkout's own local server
 * (`scripts/serve.ts`) started with the environment Lambda would give that
 * version (the template's literal variables, the function name and version),
 * EMF metrics switched on and read back from its stdout, rendering on the
 * main thread as a Lambda instance does.
 */
import { type ChildProcess, spawn } from "node:child_process";
import http from "node:http";
import path from "node:path";
import { createInterface } from "node:readline";
import { DRILL_ENV } from "../../functions/lib/drill";
import { OWNER_URL_ENV } from "../local/owner-forwarding";
import type { InvokeRequest, InvokeResponse, VersionTarget } from "./alias";
import { type EmfDocument, parseEmfLine } from "./metrics";

/** Parent environment that must not leak into a version (it would talk to AWS or drill by accident). */
const NOT_INHERITED = [
  new RegExp(`^${OWNER_URL_ENV}$`),
  /^POWERTOOLS_/,
  /^AWS_LAMBDA_/,
  /^TILE_BUCKET$/,
  /^S3_ENDPOINT$/,
  /^SST_/,
  /^RENDER_THREADS$/,
  /^PORT$/,
  /^HOST$/,
];

export interface VersionProcessOptions {
  /** Checkout whose scripts/serve.ts runs (its node_modules and wasm build ready). */
  root: string;
  label: string;
  functionName: string;
  functionVersion: string;
  /** Literal environment of the function from the template. */
  environment: Record<string, string>;
  tileCacheDir: string;
  /** Where the version asks for the owner of another render version's tile. */
  ownerUrl?: string;
  drill?: { faultRate: number; latencyMs: number };
  onEmf(doc: EmfDocument): void;
  /** How long start-up may take (tsx transpiles, the wasm kernel compiles). */
  startTimeoutMs?: number;
}

export interface VersionProcess extends VersionTarget {
  url: string;
  label: string;
  stop(): Promise<void>;
}

export async function startVersionProcess(options: VersionProcessOptions): Promise<VersionProcess> {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !NOT_INHERITED.some((p) => p.test(name)) && !(Object.values(DRILL_ENV) as string[]).includes(name),
    ),
  );
  const env: NodeJS.ProcessEnv = {
    ...inherited,
    ...options.environment,
    AWS_LAMBDA_FUNCTION_NAME: options.functionName,
    AWS_LAMBDA_FUNCTION_VERSION: options.functionVersion,
    POWERTOOLS_METRICS_DISABLED: "false",
    POWERTOOLS_LOG_LEVEL: "WARN",
    TILE_CACHE_DIR: options.tileCacheDir,
    PORT: "0",
    HOST: "127.0.0.1",
    RENDER_THREADS: "0",
    ...(options.ownerUrl ? { [OWNER_URL_ENV]: options.ownerUrl } : {}),
    NODE_ENV: "production",
    ...(options.drill?.faultRate ? { [DRILL_ENV.faultRate]: String(options.drill.faultRate) } : {}),
    ...(options.drill?.latencyMs ? { [DRILL_ENV.latencyMs]: String(options.drill.latencyMs) } : {}),
  };
  // `node --import tsx` keeps it one process (the tsx CLI would add a wrapper process).
  const child = spawn(process.execPath, ["--import", "tsx", path.join("scripts", "serve.ts")], {
    cwd: options.root,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const stderr: string[] = [];
  createInterface({ input: child.stderr! }).on("line", (line) => {
    stderr.push(line);
    if (stderr.length > 40) stderr.shift();
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(
        new Error(`${options.label} did not start within ${options.startTimeoutMs ?? 60_000} ms\n${stderr.join("\n")}`),
      );
    }, options.startTimeoutMs ?? 60_000);
    createInterface({ input: child.stdout! }).on("line", (line) => {
      const doc = parseEmfLine(line);
      if (doc) return options.onEmf(doc);
      const listening = /listening on (http:\/\/\S+)/.exec(line);
      if (listening) {
        clearTimeout(timer);
        resolve(listening[1]);
      }
    });
    exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${options.label} exited (${code}) before listening:\n${stderr.join("\n")}`));
    });
  });

  // No keep-alive: a reused socket the server is just closing fails the request ("socket hang up"),
  // which would count as a crash of the version; a fresh loopback connection costs far less than that.
  const agent = new http.Agent({ keepAlive: false, maxSockets: 512 });
  return {
    url,
    label: options.label,
    invoke: (request, timeoutMs) => invokeOverHttp(agent, url, request, timeoutMs),
    async stop() {
      agent.destroy();
      await stopChild(child, exited);
    },
  };
}

async function stopChild(child: ChildProcess, exited: Promise<unknown>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
  await exited;
  clearTimeout(timer);
}

function invokeOverHttp(
  agent: http.Agent,
  base: string,
  request: InvokeRequest,
  timeoutMs: number,
): Promise<InvokeResponse> {
  const started = performance.now();
  return new Promise((resolve) => {
    const failed = (why: "timeout" | "crash") =>
      resolve({ status: 0, headers: {}, body: Buffer.alloc(0), durationMs: performance.now() - started, failed: why });
    const req = http.request(
      new URL(request.path, base),
      { method: request.method, headers: request.headers, agent },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          clearTimeout(timer);
          const headers = Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k, String(v)]));
          resolve({
            status: res.statusCode ?? 0,
            headers,
            body: Buffer.concat(chunks),
            durationMs: performance.now() - started,
          });
        });
        res.on("error", () => failed("crash"));
      },
    );
    const timer = setTimeout(() => {
      req.destroy();
      failed("timeout");
    }, timeoutMs);
    req.on("error", () => {
      clearTimeout(timer);
      failed("crash");
    });
    req.end();
  });
}
