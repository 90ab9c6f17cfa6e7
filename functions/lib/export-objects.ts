/**
 * Where export jobs keep everything: objects under `exports/{id}/` (packages/export jobKeys).
 *
 * S3 objects, not a DynamoDB table: every byte of a job (parts, poster) has to be in S3 anyway,
 * S3 has the one primitive the job needs (create-if-absent, If-None-Match: the assembly lock and
 * first-write-wins parts; export-jobs.ts says why nothing needs compare-and-swap), the part count is a listing of the parts themselves (no counter to keep in
 * step with them), and one bucket lifecycle rule expires a job's record with its files. A table
 * would add a resource, an IAM grant and a second store that can disagree with S3.
 *
 * Unlike the tile cache, faults are never swallowed here: a job must not lose its status, so an
 * error fails the request or the queue message, which is then retried.
 */
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, readFile, readdir, rename, rm, stat, writeFile } from "node:fs/promises";
import { createHash, randomUUID } from "node:crypto";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";

/** Create-if-absent: all the jobs need (S3 If-None-Match, which radosgw and S3 both honour). */
export type PutCondition = { ifNoneMatch: "*" };

export interface ExportObjects {
  get(key: string): Promise<{ bytes: Uint8Array; etag: string } | undefined>;
  /** False when the condition did not hold (someone else wrote first); throws on faults. */
  put(key: string, bytes: Uint8Array, condition?: PutCondition, contentType?: string): Promise<boolean>;
  delete(key: string): Promise<void>;
  /** How many objects have keys starting with `prefix`. */
  count(prefix: string): Promise<number>;
  /** Writes a large object from a stream without holding it in memory. */
  putStream(key: string, body: AsyncIterable<Uint8Array>, contentType: string): Promise<void>;
  /** A time-limited link to download the object. */
  downloadUrl(key: string, expiresInSeconds: number): Promise<string>;
}

/** Multipart parts of 8 MiB, 2 in flight: ~16 MiB of upload buffers whatever the poster's size. */
const UPLOAD_PART_BYTES = 8 * 1024 * 1024;
const UPLOAD_QUEUE = 2;

export class S3ExportObjects implements ExportObjects {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  async get(key: string): Promise<{ bytes: Uint8Array; etag: string } | undefined> {
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return { bytes: await out.Body!.transformToByteArray(), etag: out.ETag ?? "" };
    } catch (error) {
      if (statusOf(error) === 404 || nameOf(error) === "NoSuchKey") return undefined;
      throw error;
    }
  }

  async put(
    key: string,
    bytes: Uint8Array,
    condition?: PutCondition,
    contentType = "application/octet-stream",
  ): Promise<boolean> {
    try {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: bytes,
          ContentType: contentType,
          ...(condition ? { IfNoneMatch: "*" } : {}),
        }),
      );
      return true;
    } catch (error) {
      // 412: the key exists. 409: a concurrent conditional write of the key is in flight.
      if (condition && [409, 412].includes(statusOf(error) ?? 0)) return false;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  async count(prefix: string): Promise<number> {
    let total = 0;
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }),
      );
      total += page.KeyCount ?? page.Contents?.length ?? 0;
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return total;
  }

  async putStream(key: string, body: AsyncIterable<Uint8Array>, contentType: string): Promise<void> {
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key: key, Body: Readable.from(body), ContentType: contentType },
      partSize: UPLOAD_PART_BYTES,
      queueSize: UPLOAD_QUEUE,
      leavePartsOnError: false,
    });
    await upload.done();
  }

  downloadUrl(key: string, expiresInSeconds: number): Promise<string> {
    const fileName = key.split("/").slice(-2).join("-");
    const command = new GetObjectCommand({
      Bucket: this.bucket,
      Key: key,
      ResponseContentDisposition: `attachment; filename="fractile-${fileName}"`,
    });
    return getSignedUrl(this.client, command, { expiresIn: expiresInSeconds });
  }
}

/**
 * The same objects as files under a directory, for local mode and tests. Conditions hold within
 * one process (the local server runs the whole queue in it); writes go to a temporary file and
 * are renamed into place, so a reader never sees half an object.
 */
export class FsExportObjects implements ExportObjects {
  private readonly locks = new Map<string, Promise<unknown>>();

  /** `urlOf` turns a key into the link a client downloads it from (default: a file: URL). */
  constructor(
    readonly root: string,
    private readonly urlOf?: (key: string) => string,
  ) {}

  pathOf(key: string): string {
    const full = path.resolve(this.root, key);
    if (!full.startsWith(path.resolve(this.root) + path.sep))
      throw new RangeError(`export key ${key} leaves the store`);
    return full;
  }

  async get(key: string): Promise<{ bytes: Uint8Array; etag: string } | undefined> {
    try {
      const bytes = await readFile(this.pathOf(key));
      return { bytes, etag: etagOf(bytes) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw error;
    }
  }

  put(key: string, bytes: Uint8Array, condition?: PutCondition): Promise<boolean> {
    // Check and write as one step per key, as S3 does for conditional writes.
    const previous = this.locks.get(key) ?? Promise.resolve();
    const next = previous.then(async () => {
      if (condition) {
        const current = await this.get(key);
        if (current !== undefined) return false;
      }
      await this.writeAtomically(key, bytes);
      return true;
    });
    const settled = next.catch(() => undefined);
    this.locks.set(key, settled);
    void settled.then(() => {
      if (this.locks.get(key) === settled) this.locks.delete(key);
    });
    return next;
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  async count(prefix: string): Promise<number> {
    try {
      // Prefixes the jobs use end in "/": count the files of that directory.
      return (await readdir(this.pathOf(prefix))).filter((name) => !name.startsWith(".")).length;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return 0;
      throw error;
    }
  }

  async putStream(key: string, body: AsyncIterable<Uint8Array>): Promise<void> {
    const target = this.pathOf(key);
    await mkdir(path.dirname(target), { recursive: true });
    const temporary = path.join(path.dirname(target), `.${randomUUID()}.tmp`);
    try {
      await pipeline(Readable.from(body), createWriteStream(temporary));
      await rename(temporary, target);
    } finally {
      await rm(temporary, { force: true });
    }
  }

  async downloadUrl(key: string): Promise<string> {
    await stat(this.pathOf(key)); // a link to nothing would be a lie
    return this.urlOf ? this.urlOf(key) : `file://${this.pathOf(key)}`;
  }

  /** The object's bytes as a stream (the local server's download route). */
  openRead(key: string): NodeJS.ReadableStream {
    return createReadStream(this.pathOf(key));
  }

  private async writeAtomically(key: string, bytes: Uint8Array): Promise<void> {
    const target = this.pathOf(key);
    await mkdir(path.dirname(target), { recursive: true });
    const temporary = path.join(path.dirname(target), `.${randomUUID()}.tmp`);
    await writeFile(temporary, bytes);
    await rename(temporary, target);
  }
}

function etagOf(bytes: Uint8Array): string {
  return `"${createHash("md5").update(bytes).digest("hex")}"`;
}

function statusOf(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
}

function nameOf(error: unknown): string | undefined {
  return (error as { name?: string } | undefined)?.name;
}
