/**
 * Tiles in S3 (or any S3-compatible server, e.g. radosgw in tests).
 *
 * A cache must never make a tile request fail or hang: every backend fault is
 * reported through `onFault` and turned into a miss or a skipped write, and the
 * client built by `createS3Client` gives up quickly instead of retrying.
 */
import {
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from "@aws-sdk/client-s3";
import type { ObjectMetadata, StoreFaultReporter, StoredObject, TileStore } from "../../packages/cache/index";
import { TILE_CACHE_CONTROL } from "./http";
import { assertSafeKey, assertSafeMetadata, contentTypeOfKey } from "./store-key";

export interface S3TileStoreOptions {
  client: S3Client;
  bucket: string;
  onFault?: StoreFaultReporter;
  /**
   * After a fault, skip S3 for this long (reads are misses, writes are
   * dropped) so an outage costs each request nothing instead of a timeout,
   * and a struggling S3 is not hammered. Default 5 s.
   */
  pauseAfterFaultMs?: number;
  now?: () => number;
}

export class S3TileStore implements TileStore {
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly onFault: StoreFaultReporter;
  /** Set once the server answered 501 to a conditional put; later puts are plain. */
  private conditionalPutUnsupported = false;
  private readonly pauseAfterFaultMs: number;
  private readonly now: () => number;
  private pausedUntil = 0;

  constructor(options: S3TileStoreOptions) {
    this.client = options.client;
    this.bucket = options.bucket;
    this.onFault = options.onFault ?? (() => {});
    this.pauseAfterFaultMs = options.pauseAfterFaultMs ?? 5000;
    this.now = options.now ?? Date.now;
  }

  /** True while S3 is being skipped after a recent fault. */
  get paused(): boolean {
    return this.now() < this.pausedUntil;
  }

  private fault(operation: "get" | "has" | "put" | "replace", key: string, error: unknown): void {
    this.pausedUntil = this.now() + this.pauseAfterFaultMs;
    this.onFault({ operation, key, error });
  }

  get supportsConditionalPut(): boolean {
    return !this.conditionalPutUnsupported;
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    return (await this.getWithMetadata(key))?.bytes;
  }

  async getWithMetadata(key: string): Promise<StoredObject | undefined> {
    assertSafeKey(key);
    if (this.paused) return undefined;
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      // The SDK gives user metadata without the x-amz-meta- prefix, names lower case.
      return out.Body ? { bytes: await out.Body.transformToByteArray(), metadata: { ...out.Metadata } } : undefined;
    } catch (error) {
      if (!isNotFound(error)) this.fault("get", key, error);
      return undefined;
    }
  }

  async has(key: string): Promise<boolean> {
    assertSafeKey(key);
    if (this.paused) return false;
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return true;
    } catch (error) {
      if (!isNotFound(error)) this.fault("has", key, error);
      return false;
    }
  }

  async put(key: string, bytes: Uint8Array, metadata: ObjectMetadata = {}): Promise<void> {
    assertSafeKey(key);
    assertSafeMetadata(metadata);
    if (this.paused) return;
    try {
      await this.send(key, bytes, metadata, this.supportsConditionalPut);
    } catch (error) {
      // Someone (another instance, or the other function version's twin
      // request) already wrote this key: its bytes are the same by construction.
      if (isAlreadyWritten(error)) return;
      if (isNotImplemented(error) && this.supportsConditionalPut) {
        this.conditionalPutUnsupported = true;
        try {
          await this.send(key, bytes, metadata, false);
        } catch (retryError) {
          this.fault("put", key, retryError);
        }
        return;
      }
      this.fault("put", key, error);
    }
  }

  /** An unconditional put: the object the caller found wrong is overwritten, never kept. */
  async replace(key: string, bytes: Uint8Array, metadata: ObjectMetadata = {}): Promise<void> {
    assertSafeKey(key);
    assertSafeMetadata(metadata);
    if (this.paused) return;
    try {
      await this.send(key, bytes, metadata, false);
    } catch (error) {
      this.fault("replace", key, error);
    }
  }

  private async send(key: string, bytes: Uint8Array, metadata: ObjectMetadata, conditional: boolean): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: bytes,
        ContentType: contentTypeOfKey(key),
        CacheControl: TILE_CACHE_CONTROL,
        // Served as x-amz-meta-{name} headers, also through CloudFront.
        Metadata: { ...metadata },
        ...(conditional ? { IfNoneMatch: "*" } : {}),
      }),
    );
  }
}

/**
 * A client for the tile path: short timeouts and no retries, so a slow or
 * dead S3 costs a tile request about a second, not the Lambda timeout (a
 * cache miss only costs a render). `requestTimeout` alone merely warns in
 * this SDK; `throwOnRequestTimeout` makes it abort. `endpoint` (e.g.
 * radosgw) switches to path-style addressing.
 */
export function createS3Client(
  options: { endpoint?: string; region?: string; credentials?: S3ClientConfig["credentials"] } = {},
): S3Client {
  return new S3Client({
    region: options.region ?? process.env.AWS_REGION ?? "us-east-1",
    ...(options.endpoint ? { endpoint: options.endpoint, forcePathStyle: true } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    maxAttempts: 1,
    requestHandler: { connectionTimeout: 300, socketTimeout: 800, requestTimeout: 1000, throwOnRequestTimeout: true },
  });
}

function statusOf(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
}

function nameOf(error: unknown): string | undefined {
  return (error as { name?: string; Code?: string } | undefined)?.name;
}

function isNotFound(error: unknown): boolean {
  return statusOf(error) === 404 || nameOf(error) === "NoSuchKey" || nameOf(error) === "NotFound";
}

function isAlreadyWritten(error: unknown): boolean {
  // 409 ConditionalRequestConflict: a concurrent conditional write of the same key is in flight.
  return statusOf(error) === 412 || statusOf(error) === 409 || nameOf(error) === "PreconditionFailed";
}

function isNotImplemented(error: unknown): boolean {
  return statusOf(error) === 501 || nameOf(error) === "NotImplemented";
}
