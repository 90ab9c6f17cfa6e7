/**
 * The job record and its state machine: queued → running → done | failed, never backwards, so a
 * redelivered message or a late writer can only repeat a transition, never undo one.
 */
import type { ExportSpec } from "./spec";

export type JobState = "queued" | "running" | "done" | "failed";

export interface JobRecord {
  id: string;
  spec: ExportSpec;
  state: JobState;
  parts: number;
  createdAt: string;
  updatedAt: string;
  /** Why the job failed, for the client. */
  error?: string;
  /** The result's object key once done. */
  resultKey?: string;
}

const RANK: Record<JobState, number> = { queued: 0, running: 1, done: 2, failed: 2 };

export type JobEvent =
  | { kind: "started" }
  | { kind: "assembled"; resultKey: string }
  | { kind: "failed"; reason: string };

/**
 * The record after an event, or undefined when the event changes nothing (already there, or the
 * job already finished): callers write only when this returns a record.
 */
export function advance(job: JobRecord, event: JobEvent, now: string): JobRecord | undefined {
  const next: JobState = event.kind === "started" ? "running" : event.kind === "assembled" ? "done" : "failed";
  if (RANK[next] <= RANK[job.state]) return undefined;
  const updated: JobRecord = { ...job, state: next, updatedAt: now };
  if (event.kind === "assembled") updated.resultKey = event.resultKey;
  if (event.kind === "failed") updated.error = event.reason.slice(0, 500);
  return updated;
}

/** Progress 0..1 for clients: parts rendered of all parts, with assembly as the last step. */
export function progressOf(job: JobRecord, partsDone: number): number {
  if (job.state === "done") return 1;
  const rendered = Math.min(partsDone, job.parts) / job.parts;
  return Math.round(rendered * 0.95 * 1000) / 1000;
}

/** The status a client sees (GET /exports/{id}). */
export interface JobStatusView {
  id: string;
  status: JobState;
  progress: number;
  url?: string;
  expiresAt?: string;
  error?: string;
}

export function statusView(
  job: JobRecord,
  partsDone: number,
  download?: { url: string; expiresAt: string },
): JobStatusView {
  // The record is not rewritten as parts arrive: a part in the store means the job is running.
  const status: JobState = job.state === "queued" && partsDone > 0 ? "running" : job.state;
  const view: JobStatusView = { id: job.id, status, progress: progressOf(job, partsDone) };
  if (job.state === "done" && download) Object.assign(view, download);
  if (job.state === "failed") view.error = job.error;
  return view;
}

/** Object keys of a job; one place so the store, the worker and the bucket lifecycle agree. */
export const EXPORTS_PREFIX = "exports/";
export const jobKeys = (id: string) => ({
  record: `${EXPORTS_PREFIX}${id}/job.json`,
  part: (n: number) => `${EXPORTS_PREFIX}${id}/parts/${String(n).padStart(5, "0")}`,
  partsPrefix: `${EXPORTS_PREFIX}${id}/parts/`,
  assemblyLock: `${EXPORTS_PREFIX}${id}/assembling`,
  result: (extension: string) => `${EXPORTS_PREFIX}${id}/poster.${extension}`,
});

/** Job ids are random UUIDs; anything else in a URL is an unknown job, not a key to build. */
export function isJobId(text: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(text);
}

/** A queue message: one part of one job. */
export interface PartMessage {
  jobId: string;
  part: number;
}
