/**
 * The export queue's settings, one owner for the stack (stacks/parts/exports.ts) and the worker
 * (export-jobs.ts, slow-tiles.ts). It imports only constants: synthesis loads it without runtime code.
 */
import { ONE_VCPU_MB } from "./function-sizing";

export const EXPORT_QUEUE = {
  /**
   * Deliveries of one part before SQS moves it to the dead-letter queue. 3: a crash or timeout
   * (a Lambda instance lost mid-part) gets two more tries; a part that fails three times fails
   * the same way every time (rendering is deterministic) and is poison.
   */
  maxReceiveCount: 3,
  /**
   * Worker timeout: one part renders in seconds; the last part also assembles and uploads the
   * poster; a slow deep tile (slow-tiles.ts) takes up to about 80 s at one vCPU.
   */
  workerTimeoutSeconds: 300,
  /** Worker memory: one vCPU (poster parts render on one thread; slow tiles' time is estimated from it). */
  workerMemoryMb: ONE_VCPU_MB,
  /** Messages per Lambda invocation; parts of a batch render one after another. */
  batchSize: 1,
  /**
   * AWS's rule for Lambda event sources: visibility timeout ≥ 6 × function timeout (+ batch window),
   * so a message is not delivered again while a slow or throttled invocation still holds it.
   * 6 × 300 s = 1800 s.
   */
  visibilityTimeoutSeconds: 6 * 300,
  /** A job's files (parts, poster, record) expire after this many days (bucket lifecycle). */
  expiryDays: 7,
  /**
   * Retry-After of a 503 when the queue refuses a job's parts: SQS throttling clears within
   * seconds, and a client polling faster only adds to it.
   */
  submitRetryAfterSeconds: 10,
  /** How long a download link stays valid. */
  downloadUrlSeconds: 3600,
} as const;
