import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FsTileStore } from "./fs-tile-store";
import { InvalidKeyError } from "./store-key";

let root: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "fractile-fs-store-"));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name)));
}

describe("FsTileStore", () => {
  it("returns what was put, and a miss for keys never put", async () => {
    const store = new FsTileStore(root);
    const bytes = new Uint8Array([137, 80, 78, 71, 1, 2, 3]);
    expect(await store.get("tiles/v1/classic/0/0/0.png")).toBeUndefined();
    expect(await store.has("tiles/v1/classic/0/0/0.png")).toBe(false);
    await store.put("tiles/v1/classic/0/0/0.png", bytes);
    expect(await store.get("tiles/v1/classic/0/0/0.png")).toEqual(bytes);
    expect(await store.has("tiles/v1/classic/0/0/0.png")).toBe(true);
    expect(await readFile(path.join(root, "tiles/v1/classic/0/0/0.png"))).toEqual(Buffer.from(bytes));
  });

  it("survives many concurrent writers of the same and of different keys", async () => {
    const store = new FsTileStore(root);
    // Different sizes per writer: a torn write would show as a mix or a truncation.
    const payload = (writer: number) => new Uint8Array(20_000 + writer * 997).fill(writer);
    const sameKey = "tiles/v1/classic/5/3/7@2x.png";
    await Promise.all([
      ...Array.from({ length: 40 }, (_, w) => store.put(sameKey, payload(w))),
      ...Array.from({ length: 40 }, (_, w) => store.put(`tiles/v1/classic/6/${w}/1.png`, payload(w))),
    ]);

    // Byte comparison through Buffer: vitest's element-wise toEqual on 60 KB arrays takes seconds.
    const sameBytes = (a: Uint8Array | undefined, b: Uint8Array) =>
      a !== undefined && Buffer.from(a).equals(Buffer.from(b));
    const final = await store.get(sameKey);
    expect(final).toBeDefined();
    const writer = final![0];
    expect(sameBytes(final, payload(writer))).toBe(true);
    for (let w = 0; w < 40; w++)
      expect(sameBytes(await store.get(`tiles/v1/classic/6/${w}/1.png`), payload(w))).toBe(true);
    // No temp file is left behind.
    expect((await filesUnder(root)).filter((f) => path.basename(f).startsWith(".tmp-"))).toEqual([]);
    expect(await filesUnder(root)).toHaveLength(41);
  });

  it.each([
    "../outside.png",
    "/etc/passwd",
    "tiles/../../x.png",
    "tiles//x.png",
    "tiles/.hidden/x.png",
    "",
    "tiles/a\\b.png",
    "tiles/a\0.png",
  ])("rejects the key %j, which could escape its root or alias another key", async (key) => {
    const store = new FsTileStore(root);
    await expect(store.put(key, new Uint8Array([1]))).rejects.toThrow(InvalidKeyError);
    await expect(store.get(key)).rejects.toThrow(InvalidKeyError);
    expect(await filesUnder(root)).toEqual([]);
  });

  it("keeps metadata with the object, and {} for an object put without any", async () => {
    const store = new FsTileStore(root);
    await store.put("tiles/v1/classic/1/0/0.png", new Uint8Array([1]), { "fractile-iterations": "5623" });
    await store.put("tiles/v1/classic/1/1/0.png", new Uint8Array([2]));
    expect(await store.getWithMetadata("tiles/v1/classic/1/0/0.png")).toEqual({
      bytes: new Uint8Array([1]),
      metadata: { "fractile-iterations": "5623" },
    });
    expect(await store.getWithMetadata("tiles/v1/classic/1/1/0.png")).toEqual({
      bytes: new Uint8Array([2]),
      metadata: {},
    });
    expect(await store.getWithMetadata("tiles/v1/classic/1/1/1.png")).toBeUndefined();
    await expect(store.put("tiles/v1/classic/1/1/1.png", new Uint8Array([3]), { "Bad Name": "x" })).rejects.toThrow(
      /metadata/,
    );
  });

  it("stores keys with segments longer than a file name may be (deep tiles), one file per key", async () => {
    const store = new FsTileStore(root);
    const long = "z".repeat(465);
    const a = `tiles/v1/classic/2400/${long}/${long}@2x.png`;
    const b = `tiles/v1/classic/2400/${long.slice(0, 200)}/${long.slice(200)}/${long}@2x.png`;
    await store.put(a, new Uint8Array([1]), { "fractile-iterations": "50000" });
    await store.put(b, new Uint8Array([2]));
    expect(await store.getWithMetadata(a)).toEqual({
      bytes: new Uint8Array([1]),
      metadata: { "fractile-iterations": "50000" },
    });
    expect(await store.get(b)).toEqual(new Uint8Array([2]));
    for (const file of await filesUnder(root))
      for (const name of file.split(path.sep)) expect(name.length).toBeLessThanOrEqual(255);
  });

  it("reports a broken disk as a fault and behaves as a miss instead of throwing", async () => {
    const blocker = path.join(root, "file-not-dir");
    await writeFile(blocker, "x");
    const faults: string[] = [];
    const store = new FsTileStore(blocker, { onFault: (f) => faults.push(f.operation) });
    await expect(store.put("tiles/v1/classic/0/0/0.png", new Uint8Array([1]))).resolves.toBeUndefined();
    expect(await store.get("tiles/v1/classic/0/0/0.png")).toBeUndefined();
    expect(faults).toContain("put");
  });
});
