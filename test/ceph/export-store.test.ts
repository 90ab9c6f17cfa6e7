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
import { HeadObjectCommand } from "@aws-sdk/client-s3";
import { createCanvas, loadImage } from "@napi-rs/canvas";
import { PNG } from "pngjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jobKeys, type PartMessage } from "../../packages/export/index";
import { renderViewIndices } from "../../packages/render/index";
import { createExportJobs } from "../../functions/lib/export-jobs";
import { S3ExportObjects } from "../../functions/lib/export-objects";
import { runExportCli } from "../export-cli";
import { readZipEntries } from "../zip-entries";
import { encodeWebpPicture } from "../../functions/lib/export-webp";
import { RADOSGW_CREDENTIALS, startRadosgw, type Radosgw } from "./radosgw";

let rgw: Radosgw;
let objects: S3ExportObjects;
beforeAll(async () => {
  rgw = await startRadosgw({ bucket: "fractile-test-exports" });
  objects = new S3ExportObjects(rgw.admin, rgw.bucket);
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

describe("jpg and webp posters on S3", () => {
  /** Decoded RGBA of a finished job's poster, fetched through its presigned link. */
  async function posterPixels(jobs: ReturnType<typeof createExportJobs>, queue: PartMessage[], id: string) {
    for (const message of queue.splice(0)) await jobs.processPart(message);
    const status = (await jobs.status(id))!;
    expect(status.status).toBe("done");
    const response = await fetch(status.url!);
    const bytes = Buffer.from(await response.arrayBuffer());
    const image = await loadImage(bytes);
    const canvas = createCanvas(image.width, image.height);
    canvas.getContext("2d").drawImage(image, 0, 0);
    return {
      bytes,
      width: image.width,
      height: image.height,
      rgba: canvas.getContext("2d").getImageData(0, 0, image.width, image.height).data,
    };
  }

  it("assembles a jpg (restart segments across the parts' seams) and a webp close to the png, with their content types", async () => {
    const queue: PartMessage[] = [];
    const jobs = createExportJobs({
      objects,
      enqueue: async (m) => void queue.push(...m),
      renderIndices: renderViewIndices,
      encodeWebp: encodeWebpPicture,
    });
    // Two columns: the seam between parts runs through the jpg's 8 × 8 blocks and segments.
    const poster = { re: "-0.75", im: "0.1", zoom: 3, width: 4200, height: 700 };
    const png = await posterPixels(jobs, queue, (await jobs.submit(poster)).id);
    for (const format of ["jpg", "webp"] as const) {
      const job = await jobs.submit({ ...poster, format });
      const image = await posterPixels(jobs, queue, job.id);
      expect([image.width, image.height]).toEqual([4200, 700]);
      let squared = 0;
      for (let i = 0; i < image.rgba.length; i++) if (i % 4 !== 3) squared += (image.rgba[i] - png.rgba[i]) ** 2;
      const psnr = 10 * Math.log10((255 * 255) / (squared / (4200 * 700 * 3)));
      expect(psnr, format).toBeGreaterThan(30);
      const head = await rgw.admin.send(
        new HeadObjectCommand({ Bucket: rgw.bucket, Key: jobKeys(job.id).result(format) }),
      );
      expect(head.ContentType).toBe(format === "jpg" ? "image/jpeg" : "image/webp");
    }
  });
});
