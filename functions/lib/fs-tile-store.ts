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
import type { StoreFaultReporter, TileStore } from "../../packages/cache/index";
import { assertSafeKey, InvalidKeyError } from "./store-key";

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

  async has(key: string): Promise<boolean> {
    const file = this.pathOf(key);
    try {
      return (await stat(file)).isFile();
    } catch (error) {
      if (!isNotFound(error)) this.onFault({ operation: "has", key, error });
      return false;
    }
  }

  async put(key: string, bytes: Uint8Array): Promise<void> {
    const file = this.pathOf(key);
    const temp = path.join(path.dirname(file), `.tmp-${process.pid}-${randomBytes(6).toString("hex")}`);
    try {
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(temp, bytes);
      await rename(temp, file);
    } catch (error) {
      this.onFault({ operation: "put", key, error });
      await rm(temp, { force: true }).catch(() => {});
    }
  }

  /** Maps a key to a file strictly inside the root. */
  pathOf(key: string): string {
    assertSafeKey(key);
    const file = path.resolve(this.root, ...key.split("/"));
    if (!file.startsWith(this.root + path.sep)) throw new InvalidKeyError(key);
    return file;
  }
}

function isNotFound(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === "ENOENT" || code === "ENOTDIR";
}
