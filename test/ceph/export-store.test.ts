/**
 * Export jobs on S3 for real: a radosgw this file starts (the s3 project's globalSetup provisions
 * it). The store's conditional writes, streamed multipart upload and presigned links, then a whole
 * job rendered with the render core, with a duplicated part and the assembly lock on S3, and
 * `npm run export` with its jobs in the bucket.
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { HeadObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { PNG } from "pngjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jobKeys, type PartMessage } from "../../packages/export/index";
import { renderViewIndices } from "../../packages/render/index";
import { createExportJobs } from "../../functions/lib/export-jobs";
import { S3ExportObjects } from "../../functions/lib/export-objects";
import { runExportCli } from "../export-cli";
import { readZipEntries } from "../zip-entries";
import { RADOSGW_CREDENTIALS, startRadosgw, type Radosgw } from "./radosgw";

let rgw: Radosgw;
let objects: S3ExportObjects;
beforeAll(async () => {
  rgw = await startRadosgw({ bucket: "fractile-test-exports" });
  const client = new S3Client({
    region: "us-east-1",
    endpoint: rgw.endpoint,
    forcePathStyle: true,
    credentials: RADOSGW_CREDENTIALS,
  });
  objects = new S3ExportObjects(client, rgw.bucket);
}, 420_000);
afterAll(async () => {
  await rgw?.stop();
}, 60_000);

async function* chunksOf(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

describe("S3ExportObjects on radosgw", () => {
  it("creates only if absent, also when two writers race for the key", async () => {
    const key = "exports/test/lock.json";
    expect(await objects.put(key, Buffer.from("a"), { ifNoneMatch: "*" })).toBe(true);
    expect(await objects.put(key, Buffer.from("b"), { ifNoneMatch: "*" })).toBe(false);
    expect(Buffer.from((await objects.get(key))!.bytes).toString()).toBe("a");
    const race = await Promise.all(
      ["x", "y", "z"].map((v) => objects.put("exports/test/race.json", Buffer.from(v), { ifNoneMatch: "*" })),
    );
    expect(race.filter(Boolean)).toHaveLength(1);
    await objects.delete(key);
    expect(await objects.get(key)).toBeUndefined();
  });

  it("counts objects under a prefix across pages and streams a multipart upload with a working presigned link", async () => {
    await Promise.all(Array.from({ length: 3 }, (_, i) => objects.put(`exports/test/count/${i}`, new Uint8Array([i]))));
    expect(await objects.count("exports/test/count/")).toBe(3);

    const big = randomBytes(9 * 1024 * 1024 + 17); // more than one 8 MiB part
    await objects.putStream("exports/test/big.bin", chunksOf(big, 300_000), "application/octet-stream");
    const url = await objects.downloadUrl("exports/test/big.bin", 60);
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer()).equals(big)).toBe(true);
    expect(response.headers.get("content-disposition")).toContain("attachment");
  });
});

describe("an export job on S3", () => {
  it("renders, ignores a duplicated part, assembles once and links the poster", async () => {
    const queue: PartMessage[] = [];
    const jobs = createExportJobs({
      objects,
      enqueue: async (m) => void queue.push(...m),
      renderIndices: renderViewIndices,
    });
    const job = await jobs.submit({ re: "-0.75", im: "0.1", zoom: 3, width: 4200, height: 600 });
    expect(queue).toHaveLength(2);

    expect(await jobs.processPart(queue[0])).toBe("rendered");
    const partKey = jobKeys(job.id).part(0);
    const before = await rgw.admin.send(new HeadObjectCommand({ Bucket: rgw.bucket, Key: partKey }));
    expect(await jobs.processPart(queue[0])).toBe("already-rendered");
    const after = await rgw.admin.send(new HeadObjectCommand({ Bucket: rgw.bucket, Key: partKey }));
    expect([after.ETag, after.LastModified]).toEqual([before.ETag, before.LastModified]);
    expect(await jobs.status(job.id)).toMatchObject({ status: "running", progress: 0.475 });

    const last = await Promise.all([jobs.processPart(queue[1]), jobs.processPart(queue[1])]);
    expect(last.filter((o) => o === "assembled")).toHaveLength(1);
    const status = (await jobs.status(job.id))!;
    expect(status).toMatchObject({ status: "done", progress: 1 });
    const png = PNG.sync.read(Buffer.from(await (await fetch(status.url!)).arrayBuffer()), { checkCRC: true });
    expect([png.width, png.height]).toEqual([4200, 600]);
  });
});

describe("npm run export on S3", () => {
  it("runs a zoom sequence through the bucket and downloads it from the presigned link to --out", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "fractile-export-cli-s3-"));
    try {
      const out = path.join(dir, "zoom.zip");
      const args = ["--kind", "zoom", "--re", "-0.75", "--im", "0.1", "--to-zoom", "6", "--frames", "3"];
      const run = await runExportCli([...args, "--width", "32", "--height", "24", "--out", out], {
        TILE_BUCKET: rgw.bucket,
        S3_ENDPOINT: rgw.endpoint,
        AWS_REGION: "us-east-1",
        AWS_ACCESS_KEY_ID: RADOSGW_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: RADOSGW_CREDENTIALS.secretAccessKey,
      });
      expect(run.code, run.stderr).toBe(0);
      const frames = await readZipEntries(await readFile(out));
      expect(frames).toHaveLength(3);
      for (const frame of frames) {
        const png = PNG.sync.read(frame.bytes, { checkCRC: true });
        expect([png.width, png.height]).toEqual([32, 24]);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
