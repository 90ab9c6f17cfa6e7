/**
 * Export jobs on the file store (the S3 store on radosgw: test/ceph/export-store.test.ts):
 * submit → parts → assembly → status, and the delivery faults a queue brings: duplicates,
 * crashes mid-part, poison, and a worker that died holding the assembly lock.
 */
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { SQSEvent } from "aws-lambda";
import { unzipSync } from "fflate";
import { loadImage, createCanvas } from "@napi-rs/canvas";
import { SQSClient, SendMessageBatchCommand } from "@aws-sdk/client-sqs";
import { mockClient } from "aws-sdk-client-mock";
import { decode as decodeJpeg } from "jpeg-js";
import { PNG } from "pngjs";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { colourTable } from "../../packages/colour/index";
import { jobKeys, planParts, type PartMessage, type PosterSpec } from "../../packages/export/index";
import { renderViewIndices, type ViewSpec } from "../../packages/render/index";
import { apiGatewayEvent } from "./api-event";
import { EnqueueError, createExportJobs, type ExportJobsDeps } from "./export-jobs";
import { sqsEnqueue } from "./export-env";
import { EXPORT_QUEUE } from "./export-queue";
import { FsExportObjects } from "./export-objects";
import { encodeWebpPicture } from "./export-webp";
import { createExportWorker } from "./export-worker";
import { createExportsHandler } from "./exports-handler";
import { capturedTelemetry } from "../../test/handler-harness";
import { psnr } from "../../test/image-compare";
import { readWebpHeader } from "../../test/webp-header";
import { readZipEntries } from "../../test/zip-entries";

let root: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "fractile-exports-"));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A poster of 2 columns × 2 bands at the real part limits (5000 wide > 4096: 2500 each; bands of 943 rows). */
const POSTER = { re: "-0.5", im: "0", zoom: 3, width: 5000, height: 1000 };

/**
 * A stand-in renderer whose pixels are a function of their place in the poster, so any part put
 * in the wrong place, or any missing row, shows in the assembled file.
 */
function fakeRender(calls: ViewSpec[]) {
  const left = -0.5 - (POSTER.width / 2) * (4 / 2 ** POSTER.zoom / 256);
  return (view: ViewSpec): Uint8Array => {
    calls.push(view);
    const x0 = Math.round((view.centerRe - (view.width / 2) * view.pixelSize - left) / view.pixelSize);
    const y0 = Math.round(POSTER.height / 2 - (view.centerIm + (view.height / 2) * view.pixelSize) / view.pixelSize);
    const out = new Uint8Array(view.width * view.height);
    for (let y = 0; y < view.height; y++)
      for (let x = 0; x < view.width; x++) out[y * view.width + x] = expectedIndex(x0 + x, y0 + y);
    return out;
  };
}
const expectedIndex = (x: number, y: number) => (x * 7 + y * 13) % 251;

function setup(overrides: Partial<ExportJobsDeps> = {}) {
  const queue: PartMessage[] = [];
  const calls: ViewSpec[] = [];
  const objects = new FsExportObjects(root);
  let clock = Date.parse("2026-11-30T00:00:00Z");
  const jobs = createExportJobs({
    objects,
    enqueue: async (messages) => void queue.push(...messages),
    renderIndices: fakeRender(calls),
    encodeWebp: encodeWebpPicture,
    now: () => new Date(clock),
    ...overrides,
  });
  return { jobs, queue, calls, objects, advanceClock: (ms: number) => (clock += ms) };
}

function decodePoster(bytes: Buffer): PNG {
  return PNG.sync.read(bytes, { checkCRC: true });
}

describe("export jobs", () => {
  it("renders every part, assembles the poster once, and reports it done with a link", async () => {
    const { jobs, queue, objects } = setup();
    const job = await jobs.submit(POSTER);
    expect(job.parts).toBe(planParts(job.spec as PosterSpec).count);
    expect(job.parts).toBe(4);
    expect(queue.map((m) => m.part)).toEqual([0, 1, 2, 3]);
    expect(await jobs.status(job.id)).toMatchObject({ status: "queued", progress: 0 });

    const outcomes = [];
    for (const message of queue) outcomes.push(await jobs.processPart(message));
    expect(outcomes).toEqual(["rendered", "rendered", "rendered", "assembled"]);

    const status = await jobs.status(job.id);
    expect(status).toMatchObject({ status: "done", progress: 1 });
    expect(status!.url).toBe(`file://${objects.pathOf(jobKeys(job.id).result("png"))}`);
    const png = decodePoster(await readFile(objects.pathOf(jobKeys(job.id).result("png"))));
    expect([png.width, png.height]).toEqual([5000, 1000]);
    const rgb = colourTable("classic").rgb;
    for (const [x, y] of [
      [0, 0],
      [4999, 999],
      [2500, 943],
      [2499, 942],
      [2500, 942],
      [2499, 943],
    ]) {
      const i = expectedIndex(x, y);
      const o = (y * 5000 + x) * 4;
      expect([...png.data.subarray(o, o + 3)], `pixel ${x},${y}`).toEqual([...rgb.subarray(i * 3, i * 3 + 3)]);
    }
  });

  it("a redelivered or duplicated part changes nothing", async () => {
    const { jobs, queue, calls, objects } = setup();
    const job = await jobs.submit(POSTER);
    expect(await jobs.processPart(queue[1])).toBe("rendered");
    const partFile = objects.pathOf(jobKeys(job.id).part(1));
    const before = { bytes: await readFile(partFile), mtime: (await stat(partFile)).mtimeMs };
    expect(await jobs.processPart(queue[1])).toBe("already-rendered");
    expect(calls).toHaveLength(1);
    expect((await readFile(partFile)).equals(before.bytes)).toBe(true);
    expect((await stat(partFile)).mtimeMs).toBe(before.mtime);

    for (const message of queue) await jobs.processPart(message);
    const record = await readFile(objects.pathOf(jobKeys(job.id).record));
    const poster = await stat(objects.pathOf(jobKeys(job.id).result("png")));
    // After the job is done, any late copy of any part is ignored outright.
    for (const message of queue) expect(await jobs.processPart(message)).toBe("job-finished");
    expect((await readFile(objects.pathOf(jobKeys(job.id).record))).equals(record)).toBe(true);
    expect((await stat(objects.pathOf(jobKeys(job.id).result("png")))).mtimeMs).toBe(poster.mtimeMs);
  });

  it("assembles exactly once when the last part is delivered twice at the same time", async () => {
    const { jobs, queue } = setup();
    await jobs.submit(POSTER);
    for (const message of queue.slice(0, 3)) await jobs.processPart(message);
    const outcomes = await Promise.all([
      jobs.processPart(queue[3]),
      jobs.processPart(queue[3]),
      jobs.processPart(queue[2]),
    ]);
    expect(outcomes.filter((o) => o === "assembled")).toHaveLength(1);
  });

  it("takes over the assembly from a worker that died holding the lock, once the lock expired", async () => {
    const { jobs, queue, objects, advanceClock } = setup({ assemblyLockMs: 60_000 });
    const job = await jobs.submit(POSTER);
    for (const message of queue.slice(0, 3)) await jobs.processPart(message);
    // A worker took the lock and was killed (timeout) before writing the poster.
    await writeFile(
      objects.pathOf(jobKeys(job.id).assemblyLock),
      JSON.stringify({ expiresAt: Date.parse("2026-11-30T00:00:30Z") }),
    );
    expect(await jobs.processPart(queue[3])).toBe("rendered"); // the lock still holds: no second assembler
    advanceClock(120_000);
    expect(await jobs.processPart(queue[3])).toBe("assembled"); // SQS redelivered the dead worker's message
    expect((await jobs.status(job.id))?.status).toBe("done");
  });

  it("refuses parts of unknown jobs and job ids that are not ids", async () => {
    const { jobs } = setup();
    await expect(jobs.processPart({ jobId: crypto.randomUUID(), part: 0 })).rejects.toThrow(/no such job/);
    await expect(jobs.processPart({ jobId: "../../etc", part: 0 })).rejects.toThrow(/no such job/);
    expect(await jobs.status("../../etc")).toBeUndefined();
  });
});

/** Runs every queued part of the job and returns the poster's bytes. */
async function finish(jobs: ReturnType<typeof setup>["jobs"], queue: PartMessage[]) {
  const job = queue[0].jobId;
  for (const message of queue.splice(0)) await jobs.processPart(message);
  const status = await jobs.status(job);
  expect(status?.status).toBe("done");
  return readFile(new URL(status!.url!));
}

/** RGBA of a jpg or webp through Skia's decoders (libjpeg-turbo, libwebp). */
async function decodeWithSkia(bytes: Buffer): Promise<{ width: number; height: number; data: Uint8ClampedArray }> {
  const image = await loadImage(bytes);
  const canvas = createCanvas(image.width, image.height);
  canvas.getContext("2d").drawImage(image, 0, 0);
  return {
    width: image.width,
    height: image.height,
    data: canvas.getContext("2d").getImageData(0, 0, image.width, image.height).data,
  };
}

describe("poster formats", () => {
  /** Smooth enough for lossy formats to keep each part's placement recognisable, not just its average. */
  const smoothIndex = (x: number, y: number) => Math.floor(x / 40 + y / 25) % 200;
  function smoothRender(view: ViewSpec): Uint8Array {
    const left = -0.5 - (POSTER.width / 2) * (4 / 2 ** POSTER.zoom / 256);
    const x0 = Math.round((view.centerRe - (view.width / 2) * view.pixelSize - left) / view.pixelSize);
    const y0 = Math.round(POSTER.height / 2 - (view.centerIm + (view.height / 2) * view.pixelSize) / view.pixelSize);
    const out = new Uint8Array(view.width * view.height);
    for (let y = 0; y < view.height; y++)
      for (let x = 0; x < view.width; x++) out[y * view.width + x] = smoothIndex(x0 + x, y0 + y);
    return out;
  }

  it.each(["jpg", "webp"] as const)(
    "a %s poster decodes to the png poster's pixels within lossy tolerance, and the same job gives the same bytes",
    async (format) => {
      const { jobs, queue } = setup({ renderIndices: smoothRender });
      await jobs.submit(POSTER);
      const png = decodePoster(await finish(jobs, queue));

      const job = await jobs.submit({ ...POSTER, format });
      const bytes = await finish(jobs, queue);
      expect((await jobs.status(job.id))?.url).toMatch(new RegExp(`/poster\\.${format}$`));
      const image = await decodeWithSkia(bytes);
      expect([image.width, image.height]).toEqual([POSTER.width, POSTER.height]);
      expect(psnr(image.data, png.data)).toBeGreaterThan(35);
      if (format === "jpg") expect(psnr(decodeJpeg(bytes, { useTArray: true }).data, png.data)).toBeGreaterThan(35);
      // Across the seams between parts (x 2499|2500, y 942|943) nothing moved.
      for (const [x, y] of [
        [2499, 942],
        [2500, 943],
        [10, 990],
        [4990, 10],
      ]) {
        const o = (y * POSTER.width + x) * 4;
        for (let c = 0; c < 3; c++) expect(Math.abs(image.data[o + c] - png.data[o + c]), `${x},${y}`).toBeLessThan(24);
      }

      await jobs.submit({ ...POSTER, format });
      expect((await finish(jobs, queue)).equals(bytes)).toBe(true);
    },
  );
});

describe("a queue that refuses the parts", () => {
  it("fails the submission with the job marked failed, never left queued", async () => {
    const { jobs, objects } = setup({
      enqueue: async () => {
        throw new Error("ServiceUnavailable");
      },
    });
    const error = await jobs.submit(POSTER).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EnqueueError);
    const id = (error as EnqueueError).jobId;
    expect(await jobs.status(id)).toMatchObject({
      status: "failed",
      error: "the export queue refused the parts: ServiceUnavailable",
    });
    expect(await objects.count(jobKeys(id).partsPrefix)).toBe(0);
  });

  it("a part sent before the queue failed finds a finished job and is dropped, not retried into the DLQ", async () => {
    const sent: PartMessage[] = [];
    const { jobs } = setup({
      enqueue: async (messages) => {
        sent.push(messages[0]); // the first batch went out, the next one did not
        throw new Error("throttled");
      },
    });
    await expect(jobs.submit(POSTER)).rejects.toThrow(EnqueueError);
    expect(await jobs.processPart(sent[0])).toBe("job-finished");
  });

  it("POST /exports answers 503 with Retry-After and a JSON body, through SQS's client failing", async () => {
    const sqs = mockClient(SQSClient);
    try {
      const throttled = Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException" });
      sqs.on(SendMessageBatchCommand).rejects(throttled);
      const { jobs } = setup({
        enqueue: sqsEnqueue("https://sqs.example/queue", new SQSClient({ region: "us-east-1" })),
      });
      const { telemetry } = capturedTelemetry();
      const logged = vi.spyOn(telemetry.logger, "error");
      const handler = createExportsHandler({ jobs, telemetry });
      const answer = await handler(
        apiGatewayEvent({ method: "POST", target: "/exports", body: Buffer.from(JSON.stringify(POSTER)) }),
      );
      expect(answer.statusCode).toBe(503);
      expect(answer.headers["retry-after"]).toBe(String(EXPORT_QUEUE.submitRetryAfterSeconds));
      const body = JSON.parse(answer.body ?? "");
      expect(body).toEqual({ error: "queue_unavailable", detail: expect.stringContaining("submit again") });
      const id = /job ([0-9a-f-]{36})/.exec(body.detail)![1];
      expect(await jobs.status(id)).toMatchObject({
        status: "failed",
        error: expect.stringContaining("Rate exceeded"),
      });
      expect(logged).toHaveBeenCalledWith("export not queued", expect.objectContaining({ id }));

      // SQS accepting the call but refusing entries is the same outage.
      sqs.reset();
      sqs
        .on(SendMessageBatchCommand)
        .resolves({ Successful: [], Failed: [{ Id: "0", Code: "InternalError", SenderFault: false }] });
      const partial = await handler(
        apiGatewayEvent({ method: "POST", target: "/exports", body: Buffer.from(JSON.stringify(POSTER)) }),
      );
      expect(partial.statusCode).toBe(503);
      expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(1);
    } finally {
      sqs.restore();
    }
  });
});

function sqsEvent(messages: { body: string; receives: number }[]): SQSEvent {
  return {
    Records: messages.map(({ body, receives }, i) => ({
      messageId: `m${i}`,
      receiptHandle: `r${i}`,
      body,
      attributes: {
        ApproximateReceiveCount: String(receives),
        SentTimestamp: "0",
        SenderId: "x",
        ApproximateFirstReceiveTimestamp: "0",
      },
      messageAttributes: {},
      md5OfBody: "",
      eventSource: "aws:sqs",
      eventSourceARN: "arn:aws:sqs:us-east-1:1:q",
      awsRegion: "us-east-1",
    })),
  };
}

describe("zoom sequences", () => {
  it("renders one frame per part and assembles the numbered PNG frames into a zip", async () => {
    const zooms: number[] = [];
    const { jobs, queue, objects } = setup({
      renderIndices: (view) => {
        zooms.push(view.exact!.zoom);
        return new Uint8Array(view.width * view.height).fill(zooms.length);
      },
    });
    const job = await jobs.submit({
      kind: "zoom",
      re: "-0.75",
      im: "0.1",
      fromZoom: 1,
      toZoom: 5,
      frames: 3,
      width: 32,
      height: 24,
    });
    expect(job.parts).toBe(3);
    const outcomes = [];
    for (const message of queue) outcomes.push(await jobs.processPart(message));
    expect(outcomes).toEqual(["rendered", "rendered", "assembled"]);
    expect(zooms).toEqual([1, 3, 5]);
    const status = await jobs.status(job.id);
    expect(status).toMatchObject({ status: "done", progress: 1 });
    const files = unzipSync(await readFile(objects.pathOf(jobKeys(job.id).result("zip"))));
    expect(Object.keys(files)).toEqual(["frame-0.png", "frame-1.png", "frame-2.png"]);
    const frames = Object.values(files).map((bytes) => decodePoster(Buffer.from(bytes)));
    expect(frames.map((png) => [png.width, png.height])).toEqual([
      [32, 24],
      [32, 24],
      [32, 24],
    ]);
    const rgb = colourTable("classic").rgb;
    expect([...frames[2].data.subarray(0, 3)]).toEqual([...rgb.subarray(9, 12)]); // the third frame's index 3
  });

  /** Eleven frames (two-digit names) of a real render, sizes not multiples of 8 (JPEG's blocks). */
  const SEQUENCE = {
    kind: "zoom",
    re: "-0.743643887037151",
    im: "0.13182590420533",
    fromZoom: 0,
    toZoom: 12,
    frames: 11,
    width: 70,
    height: 38,
  };

  /** Runs a zoom job on the real renderer and returns its zip's bytes and entries (read with yauzl). */
  async function zoomJob(format: string) {
    const { jobs, queue } = setup({ renderIndices: renderViewIndices });
    const job = await jobs.submit({ ...SEQUENCE, format });
    const zip = await finish(jobs, queue);
    expect((await jobs.status(job.id))?.url).toMatch(/\/poster\.zip$/);
    return { zip, entries: await readZipEntries(zip) };
  }

  it.each(["jpg", "webp"] as const)(
    "a %s sequence: frames numbered in order, each the asked size and its own zoom step; the same job gives the same bytes",
    async (format) => {
      const { zip, entries } = await zoomJob(format);
      expect(entries.map((entry) => entry.name)).toEqual(
        [...Array(SEQUENCE.frames).keys()].map((n) => `frame-${String(n).padStart(2, "0")}.${format}`),
      );
      const decoded = [];
      for (const { bytes } of entries) {
        if (format === "jpg") {
          const image = decodeJpeg(bytes, { useTArray: true });
          expect([image.width, image.height]).toEqual([SEQUENCE.width, SEQUENCE.height]);
          decoded.push(image.data);
        } else {
          expect(readWebpHeader(bytes)).toMatchObject({ width: SEQUENCE.width, height: SEQUENCE.height });
          const image = await decodeWithSkia(bytes);
          expect([image.width, image.height]).toEqual([SEQUENCE.width, SEQUENCE.height]);
          decoded.push(image.data);
        }
      }
      // Each lossy frame is the png frame of its own zoom step: clearly closer to it (by 5 dB) than
      // to any other frame. Neighbouring steps share much of the picture, so this also tells a
      // frame from the one beside it.
      const png = (await zoomJob("png")).entries.map(({ bytes }) => decodePoster(bytes).data);
      for (const [n, frame] of decoded.entries()) {
        const scores = png.map((reference) => psnr(frame, reference));
        const others = scores.filter((_, m) => m !== n);
        expect(scores[n] - Math.max(...others), `frame ${n}`).toBeGreaterThan(5);
      }
      expect((await zoomJob(format)).zip.equals(zip)).toBe(true);
    },
  );

  it("names the field of a bad zoom sequence", async () => {
    const { jobs } = setup();
    const base = { kind: "zoom", re: "-0.75", im: "0.1", fromZoom: 1, toZoom: 5, frames: 3, width: 32, height: 24 };
    await expect(jobs.submit({ ...base, frames: 1 })).rejects.toThrow(/^frames: /);
    await expect(jobs.submit({ ...base, width: 4000, height: 4000 })).rejects.toThrow(/^width: /);
    await expect(jobs.submit({ ...base, toZoom: "deep" })).rejects.toThrow(/^toZoom: /);
    await expect(jobs.submit({ ...base, zoom: 3 })).rejects.toThrow(/^zoom: is not a field/);
    await expect(jobs.submit({ ...base, format: "gif" })).rejects.toThrow(/^format: must be one of png, jpg, webp$/);
  });
});

describe("export worker (SQS batches)", () => {
  it("reports only the failed message of a batch; a crash mid-part is retried and then succeeds", async () => {
    let crashes = 1;
    const calls: ViewSpec[] = [];
    const render = fakeRender(calls);
    const { jobs, queue } = setup({
      renderIndices: (view) => {
        if (view.centerRe > -0.5 && crashes-- > 0) throw new Error("worker lost mid-part");
        return render(view);
      },
    });
    const job = await jobs.submit(POSTER);
    const worker = createExportWorker({ jobs, telemetry: capturedTelemetry().telemetry, maxReceiveCount: 3 });
    const first = await worker(sqsEvent(queue.map((m) => ({ body: JSON.stringify(m), receives: 1 }))));
    // Part 1 (top right) crashed; its neighbours in the batch did not.
    expect(first.batchItemFailures).toEqual([{ itemIdentifier: "m1" }]);
    expect((await jobs.status(job.id))?.status).toBe("running");
    const retry = await worker(sqsEvent([{ body: JSON.stringify(queue[1]), receives: 2 }]));
    expect(retry.batchItemFailures).toEqual([]);
    expect((await jobs.status(job.id))?.status).toBe("done");
  });

  it("fails the job with the reason when a part fails its last delivery (then to the DLQ)", async () => {
    const { jobs, queue } = setup({
      renderIndices: (view) => {
        if (view.height !== 943) throw new Error("kernel trap");
        return new Uint8Array(view.width * view.height);
      },
    });
    const job = await jobs.submit(POSTER);
    const worker = createExportWorker({ jobs, telemetry: capturedTelemetry().telemetry, maxReceiveCount: 3 });
    const poisoned = JSON.stringify(queue[2]);
    for (const receives of [1, 2]) {
      expect((await worker(sqsEvent([{ body: poisoned, receives }]))).batchItemFailures).toHaveLength(1);
      expect((await jobs.status(job.id))?.status).not.toBe("failed");
    }
    expect((await worker(sqsEvent([{ body: poisoned, receives: 3 }]))).batchItemFailures).toHaveLength(1);
    expect(await jobs.status(job.id)).toMatchObject({ status: "failed", error: "part 2 failed 3 times: kernel trap" });
    // The rest of the parts arriving later cannot revive it.
    for (const message of [queue[0], queue[1], queue[3]])
      await worker(sqsEvent([{ body: JSON.stringify(message), receives: 1 }]));
    expect((await jobs.status(job.id))?.status).toBe("failed");
  });

  it("counts a message that is not a part message as a failure, without throwing", async () => {
    const { jobs } = setup();
    const worker = createExportWorker({ jobs, telemetry: capturedTelemetry().telemetry });
    const out = await worker(
      sqsEvent([
        { body: "not json", receives: 5 },
        { body: '{"jobId":1}', receives: 1 },
      ]),
    );
    expect(out.batchItemFailures).toEqual([{ itemIdentifier: "m0" }, { itemIdentifier: "m1" }]);
  });
});

describe("exports HTTP handler", () => {
  function post(body: string | undefined) {
    return apiGatewayEvent({
      method: "POST",
      target: "/exports",
      body: body === undefined ? undefined : Buffer.from(body),
    });
  }
  const json = (result: { body?: string }) => JSON.parse(result.body ?? "");

  it("POST /exports answers 202 with the id, statusUrl and Location; GET reports it", async () => {
    const { jobs } = setup();
    const handler = createExportsHandler({ jobs, telemetry: capturedTelemetry().telemetry });
    const created = await handler(post(JSON.stringify(POSTER)));
    expect(created.statusCode).toBe(202);
    const { id, statusUrl } = json(created);
    expect(statusUrl).toBe(`/exports/${id}`);
    expect(created.headers.location).toBe(statusUrl);
    const status = await handler(apiGatewayEvent({ target: statusUrl }));
    expect(status.statusCode).toBe(200);
    expect(json(status)).toEqual({ id, status: "queued", progress: 0 });
  });

  it("answers bad bodies with 400 naming the field, unknown ids with 404, wrong methods with 405", async () => {
    const { jobs, queue } = setup();
    const handler = createExportsHandler({ jobs, telemetry: capturedTelemetry().telemetry });
    const bad = await handler(post(JSON.stringify({ ...POSTER, width: 20000 })));
    expect(bad.statusCode).toBe(400);
    expect(json(bad)).toMatchObject({ error: "invalid_parameter", detail: expect.stringMatching(/^width: /) });
    expect(json(await handler(post("{"))).error).toBe("invalid_json");
    const zoom = { kind: "zoom", re: "-0.75", im: "0.1", fromZoom: 1, toZoom: 5, frames: 3, width: 32, height: 24 };
    for (const body of [
      { ...zoom, format: "gif" },
      { ...zoom, format: "webp", width: 16384 },
    ]) {
      const refused = await handler(post(JSON.stringify(body)));
      expect(refused.statusCode).toBe(400);
      expect(json(refused)).toMatchObject({ error: "invalid_parameter", detail: expect.stringMatching(/^format: /) });
    }
    expect((await handler(post(undefined))).statusCode).toBe(400);
    expect((await handler(post("x".repeat(20_000)))).statusCode).toBe(413);
    expect((await handler(apiGatewayEvent({ target: `/exports/${crypto.randomUUID()}` }))).statusCode).toBe(404);
    expect((await handler(apiGatewayEvent({ target: "/exports/..%2F..%2Fjob.json" }))).statusCode).toBe(404);
    expect((await handler(apiGatewayEvent({ method: "DELETE", target: "/exports" }))).statusCode).toBe(405);
    expect(queue).toEqual([]);
  });
});
