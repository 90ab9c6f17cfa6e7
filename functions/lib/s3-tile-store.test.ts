/**
 * S3TileStore behaviour that a healthy radosgw cannot show: servers without
 * conditional puts, and servers that accept connections but never answer.
 * The store against real S3 is tested in test/s3-tile-store.test.ts.
 */
import net from "node:net";
import { GetObjectCommand, PutObjectCommand, S3Client, S3ServiceException } from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { S3TileStore, createS3Client } from "./s3-tile-store";

const s3Mock = mockClient(S3Client);
const KEY = "tiles/r1/classic/0/0/0.png";

function s3Error(name: string, status: number): S3ServiceException {
  return new S3ServiceException({
    name,
    $fault: status >= 500 ? "server" : "client",
    $metadata: { httpStatusCode: status },
    message: name,
  });
}

describe("S3TileStore with a server lacking conditional puts", () => {
  beforeEach(() => s3Mock.reset());

  it("falls back to a plain put on 501 and remembers it", async () => {
    // aws-sdk-client-mock: the generic behaviour first, the more specific one after it.
    s3Mock.on(PutObjectCommand).resolves({});
    s3Mock.on(PutObjectCommand, { IfNoneMatch: "*" }).rejects(s3Error("NotImplemented", 501));
    const faults: unknown[] = [];
    const store = new S3TileStore({
      client: new S3Client({ region: "us-east-1" }),
      bucket: "b",
      onFault: (f) => faults.push(f),
    });

    await store.put(KEY, new Uint8Array([1]));
    await store.put("tiles/r1/classic/1/0/0.png", new Uint8Array([2]));

    const puts = s3Mock.commandCalls(PutObjectCommand).map((c) => c.args[0].input);
    expect(puts.map((p) => [p.Key, p.IfNoneMatch])).toEqual([
      [KEY, "*"],
      [KEY, undefined],
      ["tiles/r1/classic/1/0/0.png", undefined],
    ]);
    expect(
      puts.every((p) => p.ContentType === "image/png" && p.CacheControl === "public, max-age=31536000, immutable"),
    ).toBe(true);
    expect(store.supportsConditionalPut).toBe(false);
    expect(faults).toEqual([]);
  });

  it("sends metadata as S3 user metadata on put (both attempts), and reads it back on get", async () => {
    s3Mock.on(PutObjectCommand).resolves({});
    s3Mock.on(PutObjectCommand, { IfNoneMatch: "*" }).rejects(s3Error("NotImplemented", 501));
    s3Mock.on(GetObjectCommand).resolves({
      Body: { transformToByteArray: async () => new Uint8Array([5]) } as never,
      Metadata: { "fractile-iterations": "4467" },
    });
    const faults: unknown[] = [];
    const store = new S3TileStore({
      client: new S3Client({ region: "us-east-1" }),
      bucket: "b",
      onFault: (f) => faults.push(f),
    });
    await store.put(KEY, new Uint8Array([5]), { "fractile-iterations": "4467" });
    const puts = s3Mock.commandCalls(PutObjectCommand).map((c) => c.args[0].input);
    expect(puts.map((p) => p.Metadata)).toEqual([{ "fractile-iterations": "4467" }, { "fractile-iterations": "4467" }]);
    expect(await store.getWithMetadata(KEY)).toEqual({
      bytes: new Uint8Array([5]),
      metadata: { "fractile-iterations": "4467" },
    });
    expect(faults).toEqual([]);
  });

  it("treats 412 as already written, and reports other errors as faults", async () => {
    const faults: string[] = [];
    const store = new S3TileStore({
      client: new S3Client({ region: "us-east-1" }),
      bucket: "b",
      onFault: (f) => faults.push(f.operation),
      pauseAfterFaultMs: 0,
    });
    s3Mock
      .on(PutObjectCommand)
      .rejectsOnce(s3Error("PreconditionFailed", 412))
      .rejectsOnce(s3Error("InternalError", 500));
    await store.put(KEY, new Uint8Array([1]));
    expect(faults).toEqual([]);
    await store.put(KEY, new Uint8Array([1]));
    expect(faults).toEqual(["put"]);
    expect(store.supportsConditionalPut).toBe(true);
  });

  it("reads a missing object as a miss without a fault, and a failing read as a miss with one", async () => {
    const faults: string[] = [];
    const store = new S3TileStore({
      client: new S3Client({ region: "us-east-1" }),
      bucket: "b",
      onFault: (f) => faults.push(f.operation),
      pauseAfterFaultMs: 0,
    });
    s3Mock.on(GetObjectCommand).rejectsOnce(s3Error("NoSuchKey", 404)).rejectsOnce(s3Error("SlowDown", 503));
    expect(await store.get(KEY)).toBeUndefined();
    expect(faults).toEqual([]);
    expect(await store.get(KEY)).toBeUndefined();
    expect(faults).toEqual(["get"]);
  });
});

describe("S3TileStore after a fault", () => {
  beforeEach(() => s3Mock.reset());

  it("skips S3 for a pause, then tries again", async () => {
    let now = 1_000;
    const faults: string[] = [];
    const store = new S3TileStore({
      client: new S3Client({ region: "us-east-1" }),
      bucket: "b",
      onFault: (f) => faults.push(f.operation),
      pauseAfterFaultMs: 5_000,
      now: () => now,
    });
    s3Mock.on(GetObjectCommand).rejectsOnce(s3Error("ServiceUnavailable", 503)).rejects(s3Error("NoSuchKey", 404));
    s3Mock.on(PutObjectCommand).resolves({});

    expect(await store.get(KEY)).toBeUndefined();
    now += 4_999;
    expect(await store.get(KEY)).toBeUndefined();
    await store.put(KEY, new Uint8Array([1]));
    expect(s3Mock.calls()).toHaveLength(1);

    now += 1;
    expect(await store.get(KEY)).toBeUndefined();
    await store.put(KEY, new Uint8Array([1]));
    expect(s3Mock.calls()).toHaveLength(3);
    expect(faults).toEqual(["get"]);
  });
});

describe("S3TileStore against a server that never answers", () => {
  let blackHole: net.Server;
  const sockets = new Set<net.Socket>();
  let endpoint: string;

  beforeAll(async () => {
    blackHole = net.createServer((socket) => {
      sockets.add(socket);
      socket.on("error", () => {});
    });
    await new Promise<void>((resolve) => blackHole.listen(0, "127.0.0.1", resolve));
    endpoint = `http://127.0.0.1:${(blackHole.address() as net.AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => blackHole.close(resolve));
  });

  it("gives up (fault, miss) instead of hanging the tile request", async () => {
    s3Mock.restore();
    const faults: string[] = [];
    const client = createS3Client({ endpoint, credentials: { accessKeyId: "x", secretAccessKey: "y" } });
    const store = new S3TileStore({
      client,
      bucket: "b",
      onFault: (f) => faults.push(f.operation),
      pauseAfterFaultMs: 0,
    });
    expect(await store.get(KEY)).toBeUndefined();
    await store.put(KEY, new Uint8Array([1]));
    expect(faults).toEqual(["get", "put"]);
  }, 15_000);
});
