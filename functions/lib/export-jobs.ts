/**
 * Export jobs end to end, independent of the host: submit (validate, record, enqueue the parts),
 * render one part (idempotent), assemble once the last part is in (exactly one worker does it),
 * report status. Lambda (functions/exports.ts, functions/export-worker.ts) and the local server
 * (scripts/local/export-queue.ts) run this same code with their own queue and renderer.
 */
import { inflateSync } from "node:zlib";
import { colourTable } from "../../packages/colour/index";
import {
  advance,
  bandParts,
  encodeJpegStream,
  encodePngStream,
  frameFileName,
  frameView,
  isJobId,
  joinBand,
  jobKeys,
  parseExportSpec,
  partRect,
  partView,
  planParts,
  statusView,
  type ExportSpec,
  type JobEvent,
  type PosterSpec,
  type ZoomSpec,
  type JobRecord,
  type JobStatusView,
  type PartMessage,
  type ExportFormat,
} from "../../packages/export/index";
import { compressRle } from "../../packages/png/index";
import { Zip, ZipPassThrough } from "fflate";
import type { ViewSpec } from "../../packages/render/index";
import { encodeFrame, type WebpEncoder } from "./export-frame";
import type { ExportObjects } from "./export-objects";
import { EXPORT_QUEUE } from "./export-queue";
import type { PartFromTiles } from "./export-tiles";

/** Renders one part's palette indices (renderViewIndices in-process, or the local worker pool). */
export type RenderIndices = (view: ViewSpec) => Uint8Array | Promise<Uint8Array>;

export interface ExportJobsDeps {
  objects: ExportObjects;
  /** Puts part messages on the queue (SQS, or the local in-process queue). */
  enqueue(messages: PartMessage[]): Promise<void>;
  renderIndices: RenderIndices;
  /**
   * Encodes a webp poster or frame (export-webp.ts encodeWebpPicture). Injected, not imported: it
   * carries the canvas native addon, which only the worker's bundle ships; the exports API never
   * renders or assembles.
   */
  encodeWebp?: WebpEncoder;
  /**
   * Fills a poster part from cached tiles where the poster lines up with the tile grid
   * (export-tiles.ts); without it every part is rendered. Same bytes either way.
   */
  partFromTiles?: PartFromTiles;
  now?: () => Date;
  newId?: () => string;
  /** How long an assembly lock holds before another delivery may take over (default: the worker timeout). */
  assemblyLockMs?: number;
}

export type PartOutcome = "rendered" | "already-rendered" | "job-finished" | "assembled";

interface AssemblyLock {
  expiresAt: number;
}

export function createExportJobs(deps: ExportJobsDeps) {
  const { objects } = deps;
  const now = deps.now ?? (() => new Date());
  const newId = deps.newId ?? (() => crypto.randomUUID());
  const lockMs = deps.assemblyLockMs ?? EXPORT_QUEUE.workerTimeoutSeconds * 1000;

  async function readJob(id: string): Promise<{ job: JobRecord; etag: string } | undefined> {
    const found = await objects.get(jobKeys(id).record);
    return found && { job: JSON.parse(Buffer.from(found.bytes).toString("utf8")) as JobRecord, etag: found.etag };
  }

  /**
   * Applies an event if it moves the job forward (packages/export advance). A plain write, no
   * compare-and-swap (radosgw has no If-Match on PUT, and none is needed): each transition has one
   * kind of writer. Only the assembly-lock holder writes "done"; "failed" comes only from a part
   * that failed its last delivery, whose part is therefore missing, so the job can never also be
   * assembled; two failing parts both write "failed", either reason is true. "running" is never
   * written: status derives it from the parts present.
   */
  async function transition(id: string, event: JobEvent): Promise<JobRecord | undefined> {
    const current = await readJob(id);
    if (!current) return undefined;
    const next = advance(current.job, event, now().toISOString());
    if (!next) return current.job;
    await objects.put(jobKeys(id).record, jsonBytes(next), undefined, "application/json");
    return next;
  }

  async function submit(body: unknown): Promise<JobRecord> {
    const spec = parseExportSpec(body);
    const count = partCount(spec);
    const createdAt = now().toISOString();
    const job: JobRecord = { id: newId(), spec, state: "queued", parts: count, createdAt, updatedAt: createdAt };
    // Record first, then messages: a worker never meets a part of a job that does not exist.
    if (!(await objects.put(jobKeys(job.id).record, jsonBytes(job), { ifNoneMatch: "*" }, "application/json"))) {
      throw new Error(`export ${job.id}: the id is taken`);
    }
    try {
      await deps.enqueue(Array.from({ length: count }, (_, part) => ({ jobId: job.id, part })));
    } catch (error) {
      throw await abandonUnqueued(job, error);
    }
    return job;
  }

  /**
   * The queue refused the parts (SQS down or throttling). The job is marked failed with the reason
   * rather than deleted: some batches may have gone out before the failure, and their workers
   * must find a finished job to ignore, not a missing one to retry into the dead-letter queue;
   * and a client that kept the id sees why. The caller answers 503 and the client submits anew.
   */
  async function abandonUnqueued(job: JobRecord, cause: unknown): Promise<EnqueueError> {
    const reason = `the export queue refused the parts: ${cause instanceof Error ? cause.message : String(cause)}`;
    try {
      await transition(job.id, { kind: "failed", reason });
      return new EnqueueError(job.id, reason, { cause });
    } catch (recordError) {
      // Both the queue and the store are failing: the record stays "queued" with no part ever
      // sent; the lifecycle rule removes it with the rest of exports/ (docs/exports.md).
      return new EnqueueError(job.id, `${reason}; marking the job failed failed too: ${String(recordError)}`, {
        cause,
      });
    }
  }

  async function status(
    id: string,
    downloadSeconds: number = EXPORT_QUEUE.downloadUrlSeconds,
  ): Promise<JobStatusView | undefined> {
    if (!isJobId(id)) return undefined;
    const found = await readJob(id);
    if (!found) return undefined;
    const { job } = found;
    const partsDone = job.state === "done" ? job.parts : await objects.count(jobKeys(id).partsPrefix);
    if (job.state !== "done" || !job.resultKey) return statusView(job, partsDone);
    const url = await objects.downloadUrl(job.resultKey, downloadSeconds);
    return statusView(job, partsDone, {
      url,
      expiresAt: new Date(now().getTime() + downloadSeconds * 1000).toISOString(),
    });
  }

  /**
   * One delivery of a part message. Safe to repeat: a part already written is not rendered again,
   * a finished job ignores its parts, and assembly happens once (a lock object, created only if
   * absent; taken over only after it expired, i.e. its holder crashed).
   */
  async function processPart(message: PartMessage): Promise<PartOutcome> {
    const found = isJobId(message.jobId) ? await readJob(message.jobId) : undefined;
    if (!found) throw new Error(`export ${String(message.jobId).slice(0, 64)}: no such job`);
    const { job } = found;
    if (job.state === "done" || job.state === "failed") return "job-finished";

    const keys = jobKeys(job.id);
    if (!Number.isInteger(message.part) || message.part < 0 || message.part >= job.parts) {
      throw new Error(`export ${job.id}: part ${message.part} is not in 0..${job.parts - 1}`);
    }
    let outcome: PartOutcome = "already-rendered";
    if (!(await objects.get(keys.part(message.part)))) {
      const bytes = await renderPart(job.spec, message.part);
      // Only the first write counts; a duplicate delivery racing this one wrote the same bytes.
      await objects.put(keys.part(message.part), bytes, { ifNoneMatch: "*" });
      outcome = "rendered";
    }
    if ((await objects.count(keys.partsPrefix)) < job.parts) return outcome;
    return (await assembleOnce(job)) ? "assembled" : outcome;
  }

  async function assembleOnce(job: JobRecord): Promise<boolean> {
    const keys = jobKeys(job.id);
    if (!(await takeLock(keys.assemblyLock))) return false;
    try {
      const { spec } = job;
      const resultKey = keys.result(spec.kind === "zoom" ? "zip" : spec.format);
      if (spec.kind === "zoom") await objects.putStream(resultKey, zipFrames(job, spec), "application/zip");
      else await objects.putStream(resultKey, posterBytes(job, spec), POSTER_CONTENT_TYPES[spec.format]);
      await transition(job.id, { kind: "assembled", resultKey });
      return true;
    } catch (error) {
      // Give the next delivery of this message its chance at once instead of after the lock expires.
      await objects.delete(keys.assemblyLock).catch(() => undefined);
      throw error;
    }
  }

  /**
   * Create-if-absent. A lock past its expiry belongs to a worker that died (Lambda timeout) before
   * writing the poster: it is deleted and taken anew. Two takers racing over one expired lock may
   * both assemble; the poster's bytes and key are the same either way, so that costs time, not
   * correctness.
   */
  async function takeLock(key: string): Promise<boolean> {
    const lock = jsonBytes({ expiresAt: now().getTime() + lockMs } satisfies AssemblyLock);
    if (await objects.put(key, lock, { ifNoneMatch: "*" }, "application/json")) return true;
    const held = await objects.get(key);
    if (held) {
      const { expiresAt } = JSON.parse(Buffer.from(held.bytes).toString("utf8")) as AssemblyLock;
      if (expiresAt > now().getTime()) return false;
      await objects.delete(key);
    }
    return objects.put(key, lock, { ifNoneMatch: "*" }, "application/json");
  }

  /** The poster file in its format, as a stream (png, jpg) or one buffer (webp: see export-webp.ts). */
  async function* posterBytes(job: JobRecord, spec: PosterSpec): AsyncGenerator<Uint8Array> {
    const { width, height } = spec;
    const table = colourTable(spec.palette);
    if (spec.format === "png") yield* encodePngStream({ width, height, paletteRgb: table.rgb }, bands(job, spec));
    else if (spec.format === "jpg") yield* encodeJpegStream({ width, height, rgba32: table.rgba32 }, bands(job, spec));
    else {
      if (!deps.encodeWebp) throw new Error(`export ${job.id}: this host has no webp encoder`);
      yield await deps.encodeWebp({ width, height, rgba32: table.rgba32 }, bands(job, spec));
    }
  }

  /** The poster's rows band by band: the parts of one band at a time, so memory is one band. */
  async function* bands(job: JobRecord, spec: PosterSpec): AsyncGenerator<Uint8Array> {
    const plan = planParts(spec);
    const keys = jobKeys(job.id);
    for (let band = 0; band < plan.bands; band++) {
      const rects = bandParts(spec, plan, band);
      const parts = await Promise.all(
        rects.map(async (rect) => {
          const stored = await objects.get(keys.part(rect.index));
          if (!stored) throw new Error(`export ${job.id}: part ${rect.index} vanished before assembly`);
          return { rect, indices: inflateSync(stored.bytes) };
        }),
      );
      yield joinBand(spec.width, parts);
    }
  }

  /** A part: a poster's rectangle as deflated indices, or a zoom sequence's frame as its file. */
  async function renderPart(spec: ExportSpec, part: number): Promise<Uint8Array> {
    if (spec.kind === "zoom") {
      const view = frameView(spec, part);
      const indices = await deps.renderIndices(view);
      return encodeFrame(
        spec.format,
        { width: view.width, height: view.height, indices, palette: spec.palette },
        deps.encodeWebp,
      );
    }
    const rect = partRect(spec, planParts(spec), part);
    const fromTiles = await deps.partFromTiles?.(spec, rect);
    return compressRle(fromTiles ?? (await deps.renderIndices(partView(spec, rect))));
  }

  /**
   * The frames as one zip, streamed: each frame file is stored as it is (png, jpg and webp are
   * compressed already), one frame in memory at a time. fflate's Zip emits its output
   * synchronously as entries are pushed.
   */
  async function* zipFrames(job: JobRecord, spec: ZoomSpec): AsyncGenerator<Uint8Array> {
    const keys = jobKeys(job.id);
    const pending: Uint8Array[] = [];
    let failure: Error | null = null;
    const zip = new Zip((error, chunk) => {
      if (error) failure = error;
      else pending.push(chunk);
    });
    for (let frame = 0; frame < spec.frames; frame++) {
      const stored = await objects.get(keys.part(frame));
      if (!stored) throw new Error(`export ${job.id}: frame ${frame} vanished before assembly`);
      const entry = new ZipPassThrough(frameFileName(spec, frame));
      entry.mtime = Date.parse(job.createdAt); // the same bytes from every assembler
      zip.add(entry);
      entry.push(stored.bytes, true);
      if (failure) throw failure;
      yield* pending.splice(0);
    }
    zip.end();
    if (failure) throw failure;
    yield* pending.splice(0);
  }

  /** A part that failed its last delivery: the job fails with the reason, for good. */
  async function failJob(id: string, reason: string): Promise<void> {
    if (isJobId(id)) await transition(id, { kind: "failed", reason });
  }

  return { submit, status, processPart, failJob };
}

export type ExportJobs = ReturnType<typeof createExportJobs>;

/** Submit could not put a job's parts on the queue; the job is marked failed (abandonUnqueued). */
export class EnqueueError extends Error {
  constructor(
    readonly jobId: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "EnqueueError";
  }
}

const POSTER_CONTENT_TYPES: Record<ExportFormat, string> = {
  png: "image/png",
  jpg: "image/jpeg",
  webp: "image/webp",
};

/** How many queue messages a job is: a poster's parts, or a zoom sequence's frames. */
export function partCount(spec: ExportSpec): number {
  return spec.kind === "zoom" ? spec.frames : planParts(spec).count;
}

function jsonBytes(value: unknown): Uint8Array {
  return Buffer.from(JSON.stringify(value), "utf8");
}
