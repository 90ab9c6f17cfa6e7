import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { slowTileQueueFromEnv } from "./slow-tile-queue";
import type { TileRenderMessage } from "./slow-tiles";

const message: TileRenderMessage = {
  kind: "tile",
  renderVersion: "r",
  palette: "classic",
  z: 60,
  x: "a",
  y: "b",
  scale: 2,
};

/** A queue endpoint that accepts connections and never answers: what a hung SQS looks like. */
let silent: net.Server;
const sockets: net.Socket[] = [];
beforeAll(async () => {
  silent = net.createServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => silent.close(resolve));
});

describe("slowTileQueueFromEnv", () => {
  it("is off without EXPORT_QUEUE_URL: the tile function then renders every tile itself", () => {
    expect(slowTileQueueFromEnv({})).toBeUndefined();
    expect(slowTileQueueFromEnv({ EXPORT_QUEUE_URL: "  " })).toBeUndefined();
  });

  it("fails instead of hanging when the queue does not answer", async () => {
    const { port } = silent.address() as net.AddressInfo;
    const saved = { ...process.env };
    // Fake credentials: the request is signed, then goes to the silent endpoint (the queue URL's host).
    Object.assign(process.env, { AWS_REGION: "us-east-1", AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test" });
    try {
      const send = slowTileQueueFromEnv({ EXPORT_QUEUE_URL: `http://127.0.0.1:${port}/123456789012/exports` });
      await expect(send?.(message)).rejects.toThrow();
      expect(sockets.length).toBeGreaterThan(0); // it did reach the endpoint, and gave up on it
    } finally {
      process.env = saved;
    }
  }, 30_000);
});
