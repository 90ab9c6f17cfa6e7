import http from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FsTileStore } from "../../functions/lib/fs-tile-store";
import { apiEvent } from "../../test/handler-harness";
import { rawRequest } from "../../test/http-client";
import { startServer } from "../serve";
import { NO_OWNER, OWNER_HEADER, httpRenderVersionOwners, ownersFromEnv } from "./owner-forwarding";

// A stand-in for the rehearsal's alias: owns render version "r-owned" only.
let server: http.Server;
let url: string;
const seen: { path?: string; ownerOf?: string }[] = [];
beforeAll(async () => {
  server = http.createServer((req, res) => {
    seen.push({ path: req.url, ownerOf: req.headers[OWNER_HEADER] as string });
    if (req.headers[OWNER_HEADER] !== "r-owned") {
      res.writeHead(404, { [OWNER_HEADER]: NO_OWNER }).end();
      return;
    }
    res
      .writeHead(200, { "content-type": "image/png", etag: '"abc"', "x-internal": "dropped" })
      .end(Buffer.from([1, 2, 3]));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("httpRenderVersionOwners", () => {
  it("asks for the owner of the tile's render version and returns its answer as the handler's result", async () => {
    const answer = await httpRenderVersionOwners(url).forward(
      "r-owned",
      apiEvent("GET", "/tiles/r-owned/classic/1/0/1.png"),
    );

    expect(seen.at(-1)).toEqual({ path: "/tiles/r-owned/classic/1/0/1.png", ownerOf: "r-owned" });
    expect(answer).toEqual({
      statusCode: 200,
      headers: { "content-type": "image/png", etag: '"abc"' },
      body: Buffer.from([1, 2, 3]).toString("base64"),
      isBase64Encoded: true,
    });
  });

  it("says there is no owner when nobody owns the render version", async () => {
    expect(
      await httpRenderVersionOwners(url).forward("r-gone", apiEvent("GET", "/tiles/r-gone/classic/1/0/1.png")),
    ).toBeUndefined();
  });

  it("is off unless FRACTILE_LOCAL_OWNER_URL is set", () => {
    expect(ownersFromEnv({})).toBeUndefined();
    expect(ownersFromEnv({ FRACTILE_LOCAL_OWNER_URL: url })).toBeDefined();
  });
});

describe("the local server with FRACTILE_LOCAL_OWNER_URL", () => {
  it("forwards another render version's tile to the owner, and answers a forwarded one itself, never again", async () => {
    const cache = await mkdtemp(path.join(os.tmpdir(), "fractile-owner-"));
    process.env.FRACTILE_LOCAL_OWNER_URL = url;
    const local = await startServer({ port: 0, store: new FsTileStore(cache), renderThreads: 0, logLevel: "SILENT" });
    delete process.env.FRACTILE_LOCAL_OWNER_URL;
    try {
      const tile = "/tiles/r-owned/classic/1/0/1.png";
      const before = seen.length;
      const viaOwner = await rawRequest(local.url, "GET", tile);
      expect(viaOwner.status).toBe(200);
      expect([...viaOwner.body]).toEqual([1, 2, 3]);
      expect(seen.slice(before)).toEqual([{ path: tile, ownerOf: "r-owned" }]);

      // Marked as forwarded: the owner-request event, which is never forwarded on.
      const forwarded = await rawRequest(local.url, "GET", tile, { [OWNER_HEADER]: "r-owned" });
      expect(forwarded.status).toBe(404);
      expect(JSON.parse(forwarded.body.toString()).error).toBe("unknown_render_version");
      expect(seen.length).toBe(before + 1);
    } finally {
      await local.close();
      await rm(cache, { recursive: true, force: true });
    }
  });
});
