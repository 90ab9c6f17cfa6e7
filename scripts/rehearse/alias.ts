/**
 * The local stand-in for API Gateway + the `live` aliases: routes a request
 * to a function by the template's API routes, picks the baseline or the
 * candidate version by the alias weight (seeded), and records the AWS/Lambda
 * metrics Lambda would publish for an invocation through the alias:
 * Invocations, Errors (unhandled errors and timeouts, not handled 500s) and
 * Duration, under {FunctionName}, {FunctionName, Resource=fn:alias} and
 * {FunctionName, Resource, ExecutedVersion}. A function's timeout and
 * reserved concurrency come from the template too; a request over the
 * concurrency cap is throttled (429, Throttles, which Lambda publishes per
 * function and alias: no version has run).
 */
import { LIVE_ALIAS, renderVersionAlias } from "../../stacks/naming";
import { OWNER_HEADER } from "../local/owner-forwarding";
import type { MetricStore } from "./metrics";
import type { FunctionInfo, RouteInfo } from "./template";

export interface InvokeRequest {
  method: string;
  /** Path with query string. */
  path: string;
  headers?: Record<string, string>;
}

export interface InvokeResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  /** How long the function ran (wall clock for a process, simulated for an in-process fake). */
  durationMs: number;
  /** The function did not answer: a crash, a refused connection, or no answer within the timeout. */
  failed?: "timeout" | "crash";
}

/** One version of one function: a process, or an in-process fake. */
export interface VersionTarget {
  invoke(request: InvokeRequest, timeoutMs: number): Promise<InvokeResponse>;
}

export type Side = "baseline" | "candidate";

export interface AliasedFunction {
  info: FunctionInfo;
  baseline: VersionTarget;
  candidate: VersionTarget;
}

export interface AliasAnswer extends InvokeResponse {
  functionName: string;
  side: Side;
  /** The version number that ran; undefined when throttled or no route matched. */
  version?: string;
  throttled?: boolean;
  /** An owner request that no version could answer (neither owns the render version). */
  noOwner?: boolean;
}

const LAMBDA = "AWS/Lambda";

export class WeightedAlias {
  private readonly percent = new Map<string, number>();
  private readonly inFlight = new Map<string, number>();
  private renderVersions?: Record<Side, string>;
  /** The rehearsal minute metrics are recorded in; values outside the run (≤ 0) are dropped. */
  minute = 0;

  constructor(
    private readonly options: {
      /** May be attached later (the processes need the alias's URL before they start). */
      functions: AliasedFunction[];
      routes: RouteInfo[];
      store: MetricStore;
      versions: Record<Side, string>;
      random: () => number;
    },
  ) {}

  attach(functions: AliasedFunction[]): void {
    this.options.functions = functions;
  }

  /** Which render version each side renders: owner requests go to the side that owns theirs. */
  setRenderVersions(renderVersions: Record<Side, string>): void {
    this.renderVersions = renderVersions;
  }

  /**
   * A version forwarding a tile of another render version to its owner: on
   * Lambda an invocation of alias `rv-{renderVersion}`, which points at the
   * owning version whatever the weights of `live`. Recorded under that alias,
   * so the `live` alarms (Resource = fn:live) do not count it twice.
   */
  async handleOwner(renderVersion: string, request: InvokeRequest): Promise<AliasAnswer> {
    const fn = this.functionFor(request);
    const side = (["baseline", "candidate"] as const).find((s) => this.renderVersions?.[s] === renderVersion);
    const ownerAlias = renderVersionAlias(renderVersion);
    if (!fn || !side || !ownerAlias) {
      const body = Buffer.from(JSON.stringify({ message: "no version owns this render version" }));
      const base = { status: 404, headers: { "content-type": "application/json" }, body, durationMs: 0 };
      return { ...base, functionName: fn?.info.name ?? "", side: "baseline", noOwner: true };
    }
    const version = this.options.versions[side];
    const forwarded = { ...request, headers: { ...request.headers, [OWNER_HEADER]: renderVersion } };
    const response = await fn[side].invoke(forwarded, fn.info.timeoutMs);
    if (this.minute > 0) {
      const dims = { FunctionName: fn.info.name, Resource: `${fn.info.name}:${ownerAlias}`, ExecutedVersion: version };
      for (const [metric, value] of [
        ["Invocations", 1],
        ["Duration", response.durationMs],
      ] as const) {
        this.options.store.record(LAMBDA, metric, { FunctionName: fn.info.name }, this.minute, value);
        this.options.store.record(LAMBDA, metric, dims, this.minute, value);
      }
    }
    return { ...response, functionName: fn.info.name, side, version };
  }

  /** Share of the function's traffic (0..100) the candidate gets. */
  setCandidatePercent(functionName: string, percent: number): void {
    this.percent.set(functionName, percent);
  }

  candidatePercent(functionName: string): number {
    return this.percent.get(functionName) ?? 0;
  }

  functionFor(request: InvokeRequest): AliasedFunction | undefined {
    const name = matchRoute(this.options.routes, request);
    return this.options.functions.find((f) => f.info.name === name);
  }

  async handle(request: InvokeRequest): Promise<AliasAnswer> {
    const fn = this.functionFor(request);
    if (!fn) {
      const body = Buffer.from(JSON.stringify({ message: "Not Found" }));
      return {
        status: 404,
        headers: { "content-type": "application/json" },
        body,
        durationMs: 0,
        functionName: "",
        side: "baseline",
      };
    }
    const { info } = fn;
    const minute = this.minute;
    // Drawn for every request, so the sequence of choices depends only on the seed and the request order.
    const side: Side = this.options.random() * 100 < this.candidatePercent(info.name) ? "candidate" : "baseline";
    const version = this.options.versions[side];
    const base = { FunctionName: info.name };
    const aliased = { ...base, Resource: `${info.name}:${LIVE_ALIAS}` };
    const record = (metric: string, value: number, withVersion: boolean) => {
      if (minute <= 0) return;
      const { store } = this.options;
      store.record(LAMBDA, metric, base, minute, value);
      store.record(LAMBDA, metric, aliased, minute, value);
      if (withVersion) store.record(LAMBDA, metric, { ...aliased, ExecutedVersion: version }, minute, value);
    };

    const running = this.inFlight.get(info.name) ?? 0;
    if (info.reservedConcurrency !== undefined && running >= info.reservedConcurrency) {
      record("Throttles", 1, false);
      const body = Buffer.from(JSON.stringify({ message: "Too Many Requests" }));
      return {
        status: 429,
        headers: { "content-type": "application/json" },
        body,
        durationMs: 0,
        functionName: info.name,
        side,
        throttled: true,
      };
    }
    this.inFlight.set(info.name, running + 1);
    let response: InvokeResponse;
    try {
      response = await fn[side].invoke(request, info.timeoutMs);
    } finally {
      this.inFlight.set(info.name, (this.inFlight.get(info.name) ?? 1) - 1);
    }
    const timedOut = response.failed === "timeout" || response.durationMs > info.timeoutMs;
    const failed = timedOut || response.failed === "crash";
    record("Invocations", 1, true);
    record("Errors", failed ? 1 : 0, true);
    record("Duration", timedOut ? info.timeoutMs : response.durationMs, true);
    if (failed) {
      // What API Gateway answers when the integration fails.
      const body = Buffer.from(JSON.stringify({ message: "Internal Server Error" }));
      return {
        ...response,
        status: 500,
        headers: { "content-type": "application/json" },
        body,
        functionName: info.name,
        side,
        version,
      };
    }
    return { ...response, functionName: info.name, side, version };
  }
}

/**
 * API Gateway HTTP API route selection: an exact `METHOD /path` route first,
 * then the greedy `{proxy+}` route with the longest prefix, then `$default`.
 */
export function matchRoute(routes: readonly RouteInfo[], request: InvokeRequest): string | undefined {
  const path = request.path.split("?")[0];
  const method = request.method.toUpperCase();
  const candidates = routes.map((r) => {
    const [routeMethod, routePath] = r.routeKey === "$default" ? ["", ""] : r.routeKey.split(" ");
    return { ...r, routeMethod, routePath };
  });
  const methodMatches = (m: string) => m === method || m === "ANY";
  const exact = candidates.find((r) => methodMatches(r.routeMethod) && r.routePath === path);
  if (exact) return exact.functionName;
  const greedy = candidates
    .filter((r) => methodMatches(r.routeMethod) && r.routePath.endsWith("/{proxy+}"))
    .filter((r) => path.startsWith(r.routePath.slice(0, -"{proxy+}".length)))
    .sort((a, b) => b.routePath.length - a.routePath.length)[0];
  if (greedy) return greedy.functionName;
  return candidates.find((r) => r.routeKey === "$default")?.functionName;
}
