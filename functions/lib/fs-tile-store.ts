/**
 * Tiles on local disk: the default cache of `npm start`.
 *
 * Writes go to a uniquely named temp file in the target directory and are
 * renamed into place, so readers never see a half-written PNG and any number
 * of concurrent writers (threads, processes) of the same key are safe: each
 * rename is atomic and every writer of a key writes the same bytes.
 */
import { randomBytes } from "node:crypto";
import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import type { ObjectMetadata, StoreFaultReporter, StoredObject, TileStore } from "../../packages/cache/index";
import { assertSafeKey, assertSafeMetadata, InvalidKeyError } from "./store-key";

/**
 * Deep tile keys have segments of hundreds of characters (x, y in base 36),
 * beyond the 255-byte file names of common filesystems: longer segments are
 * split into directories of at most this many characters, each but the last
 * marked with "~", a character no key segment has (so the mapping is one to one).
 */
const MAX_NAME = 200;
const CONTINUED = "~";
/** Metadata lives beside the object, in a file whose name no key can produce. */
const METADATA_SUFFIX = "~meta.json";

export class FsTileStore implements TileStore {
  readonly root: string;
  private readonly onFault: StoreFaultReporter;

  constructor(root: string, options: { onFault?: StoreFaultReporter } = {}) {
    this.root = path.resolve(root);
    this.onFault = options.onFault ?? (() => {});
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    const file = this.pathOf(key);
    try {
      return new Uint8Array(await readFile(file));
    } catch (error) {
      if (!isNotFound(error)) this.onFault({ operation: "get", key, error });
      return undefined;
    }
  }

  async getWithMetadata(key: string): Promise<StoredObject | undefined> {
    const bytes = await this.get(key);
    if (!bytes) return undefined;
    try {
      return {
        bytes,
        metadata: JSON.parse(await readFile(this.pathOf(key) + METADATA_SUFFIX, "utf8")) as ObjectMetadata,
      };
    } catch (error) {
      // Written by a version without metadata, or torn: the bytes are still good.
      if (!isNotFound(error)) this.onFault({ operation: "get", key, error });
      return { bytes, metadata: {} };
    }
  }

  async has(key: string): Promise<boolean> {
    const file = this.pathOf(key);
    try {
      return (await stat(file)).isFile();
    } catch (error) {
      if (!isNotFound(error)) this.onFault({ operation: "has", key, error });
      return false;
    }
  }

  /** Renamed into place, so a put replaces whatever the key held (every writer of a key writes the same bytes). */
  async put(key: string, bytes: Uint8Array, metadata?: ObjectMetadata): Promise<void> {
    await this.write("put", key, bytes, metadata);
  }

  async replace(key: string, bytes: Uint8Array, metadata?: ObjectMetadata): Promise<void> {
    await this.write("replace", key, bytes, metadata);
  }

  private async write(
    operation: "put" | "replace",
    key: string,
    bytes: Uint8Array,
    metadata: ObjectMetadata | undefined,
  ): Promise<void> {
    const file = this.pathOf(key);
    if (metadata) assertSafeMetadata(metadata);
    try {
      await mkdir(path.dirname(file), { recursive: true });
      // Metadata first: whoever sees the object sees its metadata too.
      if (metadata) await writeAtomically(file + METADATA_SUFFIX, JSON.stringify(metadata));
      await writeAtomically(file, bytes);
    } catch (error) {
      this.onFault({ operation, key, error });
    }
  }

  /** Maps a key to a file strictly inside the root. */
  pathOf(key: string): string {
    assertSafeKey(key);
    const file = path.resolve(this.root, ...key.split("/").flatMap(splitLongName));
    if (!file.startsWith(this.root + path.sep)) throw new InvalidKeyError(key);
    return file;
  }
}

function splitLongName(segment: string): string[] {
  if (segment.length <= MAX_NAME) return [segment];
  const parts: string[] = [];
  for (let at = 0; at < segment.length; at += MAX_NAME) parts.push(segment.slice(at, at + MAX_NAME));
  return parts.map((part, i) => (i < parts.length - 1 ? part + CONTINUED : part));
}

/** A uniquely named temp file in the target directory, renamed into place. */
async function writeAtomically(file: string, data: Uint8Array | string): Promise<void> {
  const temp = path.join(path.dirname(file), `.tmp-${process.pid}-${randomBytes(6).toString("hex")}`);
  try {
    await writeFile(temp, data);
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => {});
    throw error;
  }
}

function isNotFound(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === "ENOENT" || code === "ENOTDIR";
}
