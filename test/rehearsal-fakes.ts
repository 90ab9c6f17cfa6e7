/**
 * In-process "function versions" for rehearsal tests: the real tile and image
 * handler factories (with cheap stand-in renderers), the real drill wrapper
 * with a seeded random source, EMF captured into the rehearsal's recorder,
 * and simulated durations instead of real waiting (the rehearsal's virtual
 * clock: sequential dispatch, durations reported by the target).
 */
import type { ObjectMetadata, TileStore } from "../packages/cache/index";
import { withDrill } from "../functions/lib/drill";
import type { HttpResult } from "../functions/lib/http";
import { createImageHandler } from "../functions/lib/image-handler";
import { createTelemetry } from "../functions/lib/observability";
import type { RenderVersionOwners } from "../functions/lib/render-version-owners";
import { createTilesHandler } from "../functions/lib/tiles-handler";
import type { InvokeRequest, InvokeResponse, VersionTarget } from "../scripts/rehearse/alias";
import type { EmfDocument } from "../scripts/rehearse/metrics";
import type { FunctionInfo } from "../scripts/rehearse/template";
import { OWNER_HEADER } from "../scripts/local/owner-forwarding";
import { seededRandom } from "../scripts/rehearse/traffic";
import { apiEvent } from "./handler-harness";

export class MemoryTileStore implements TileStore {
  readonly tiles = new Map<string, Uint8Array>();
  readonly metadata = new Map<string, ObjectMetadata>();
  async get(key: string) {
    return this.tiles.get(key);
  }
  async getWithMetadata(key: string) {
    const bytes = this.tiles.get(key);
    return bytes && { bytes, metadata: this.metadata.get(key) ?? {} };
  }
  async has(key: string) {
    return this.tiles.has(key);
  }
  async put(key: string, bytes: Uint8Array, metadata: ObjectMetadata = {}) {
    this.tiles.set(key, bytes);
    this.metadata.set(key, metadata);
  }
  async replace(key: string, bytes: Uint8Array, metadata: ObjectMetadata = {}) {
    await this.put(key, bytes, metadata);
  }
}

export interface FakeVersionOptions {
  functionVersion: string;
  renderVersion: string;
  store: TileStore;
  /** Where published EMF documents go (the rehearsal's recorder). */
  emf: (doc: EmfDocument) => void;
  drill?: { faultRate: number; latencyMs: number };
  seed?: number;
  /** Where tiles of other render versions are forwarded (the code since issue 9); none: 404 unknown_render_version. */
  owners?: RenderVersionOwners;
}

/** Simulated costs: a cache hit, a render, an image. */
export const FAKE_MS = { hit: 4, render: 60, image: 120 } as const;

function toRequestEvent(request: InvokeRequest) {
  const [rawPath, query = ""] = request.path.split("?");
  const params = Object.fromEntries(new URLSearchParams(query));
  return apiEvent(request.method, rawPath, query ? { query: params } : {});
}

function toResponse(result: HttpResult, durationMs: number): InvokeResponse {
  const body = Buffer.from(result.body ?? "", result.isBase64Encoded ? "base64" : "utf8");
  return { status: result.statusCode, headers: result.headers, body, durationMs };
}

/** One version of every function of the template, keyed by function name. */
export function fakeVersion(
  functions: readonly FunctionInfo[],
  options: FakeVersionOptions,
): Record<string, VersionTarget> {
  process.env.POWERTOOLS_METRICS_DISABLED = "true";
  const targets: Record<string, VersionTarget> = {};
  for (const fn of functions) {
    const telemetry = createTelemetry({
      defaultServiceName: fn.environment.POWERTOOLS_SERVICE_NAME,
      logLevel: "SILENT",
      functionVersion: options.functionVersion,
    });
    const { metrics } = telemetry;
    const publish = metrics.publishStoredMetrics.bind(metrics);
    metrics.publishStoredMetrics = () => {
      if (metrics.hasStoredMetrics()) options.emf(metrics.serializeMetrics() as unknown as EmfDocument);
      return publish();
    };
    let simulated = 0;
    const isImage = fn.name.endsWith("-image");
    const handler = isImage
      ? createImageHandler({
          telemetry,
          renderView: (view) => {
            simulated += FAKE_MS.image;
            return new Uint8ClampedArray(view.width * view.height * 4);
          },
        })
      : withDrill(
          createTilesHandler({
            store: options.store,
            telemetry,
            renderVersion: options.renderVersion,
            functionVersion: options.functionVersion,
            owners: options.owners,
            render: () => {
              simulated += FAKE_MS.render;
              return new Uint8Array([0x89, 0x50, 0x4e, 0x47]);
            },
          }),
          options.drill,
          {
            telemetry,
            random: seededRandom(options.seed ?? 7),
            sleep: async (ms) => {
              simulated += ms;
            },
          },
        );
    targets[fn.name] = {
      async invoke(request) {
        simulated = FAKE_MS.hit;
        const event = toRequestEvent(request);
        // As the local server does: a forwarded tile is the owner-request event of alias rv-{renderVersion}.
        const forwarded = !isImage && request.headers?.[OWNER_HEADER] !== undefined;
        const result = (await handler(
          (forwarded ? { fractile: "owner-request", request: event } : event) as never,
        )) as HttpResult;
        return toResponse(result, simulated);
      },
    };
  }
  return targets;
}
