/**
 * Tiles of two render versions during a release: each function version
 * answers the other's tile URLs with the other's bytes, by invoking the alias
 * `rv-{renderVersion}`. Two real tile handlers share one disk cache; Lambda is
 * mocked only at the SDK edge (InvokeCommand).
 */
import { mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import type { Context } from "aws-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { tileKey } from "../../packages/cache/index";
import { RENDER_VERSION, renderTilePng, type TileSpec } from "../../packages/render/index";
import { apiEvent, bodyBytes, capturedTelemetry, jsonBody } from "../../test/handler-harness";
import { FsTileStore } from "./fs-tile-store";
import type { HttpResult } from "./http";
import { selfTestEvent } from "./internal-events";
import { lazyLambdaInvoker } from "./lambda-invoker";
import { NO_OWNER_TTL_MS, lambdaRenderVersionOwners } from "./render-version-owners";
import { createTilesHandler } from "./tiles-handler";

const FUNCTION = "fractile-prod-tiles";
const OLD = "r0-older";
const lambda = mockClient(LambdaClient);

let root: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "fractile-owners-"));
  lambda.reset();
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A stand-in for the previous release's code: another render version, visibly other bytes. */
const oldRender = (spec: TileSpec) => {
  const bytes = renderTilePng({ ...spec, palette: "magma" });
  return bytes;
};

function twoVersions() {
  const renderedBy = { current: [] as TileSpec[], old: [] as TileSpec[] };
  const store = new FsTileStore(root);
  const owners = lambdaRenderVersionOwners(lazyLambdaInvoker({}), FUNCTION);
  const current = createTilesHandler({
    store,
    telemetry: capturedTelemetry("8").telemetry,
    functionVersion: "8",
    render: (spec) => (renderedBy.current.push(spec), renderTilePng(spec)),
    owners,
  });
  const old = createTilesHandler({
    store,
    telemetry: capturedTelemetry("7").telemetry,
    functionVersion: "7",
    renderVersion: OLD,
    render: (spec) => (renderedBy.old.push(spec), oldRender(spec)),
    owners,
  });
  // Version 7 owns OLD; version 8 owns the current render version.
  const owner = { [`${FUNCTION}:rv-${OLD}`]: old, [`${FUNCTION}:rv-${RENDER_VERSION}`]: current };
  lambda.on(InvokeCommand).callsFake(async (input: { FunctionName: string; Payload: Uint8Array }) => {
    const handler = owner[input.FunctionName];
    if (!handler)
      throw Object.assign(new Error(`Function not found: ${input.FunctionName}`), {
        name: "ResourceNotFoundException",
      });
    const result = await handler(JSON.parse(Buffer.from(input.Payload).toString("utf8")));
    return { StatusCode: 200, Payload: Buffer.from(JSON.stringify(result)) };
  });
  return { current, old, renderedBy, store };
}

const tile = (version: string, z = 2, x = 1, y = 1) => `/tiles/${version}/classic/${z}/${x}/${y}.png`;
const spec: TileSpec = { z: 2, x: 1n, y: 1n, scale: 1, palette: "classic" };

describe("a miss of another render version", () => {
  it("is rendered by the version that owns it, which caches its own bytes", async () => {
    const { current, renderedBy, store } = twoVersions();
    const result = (await current(apiEvent("GET", tile(OLD)))) as HttpResult;
    expect(result.statusCode).toBe(200);
    expect(bodyBytes(result)).toEqual(Buffer.from(oldRender(spec)));
    expect(bodyBytes(result)).not.toEqual(Buffer.from(renderTilePng(spec)));
    expect(renderedBy).toEqual({ current: [], old: [spec] });
    expect(await store.get(tileKey(spec, OLD))).toEqual(oldRender(spec));
    const [call] = lambda.commandCalls(InvokeCommand);
    expect(call.args[0].input.FunctionName).toBe(`${FUNCTION}:rv-${OLD}`);
    expect(JSON.parse(Buffer.from(call.args[0].input.Payload as Uint8Array).toString("utf8"))).toMatchObject({
      fractile: "owner-request",
      request: { rawPath: tile(OLD) },
    });
  });

  it("works in both directions: the old version answers the new render version's URLs", async () => {
    const { old, renderedBy } = twoVersions();
    const result = (await old(apiEvent("GET", tile(RENDER_VERSION)))) as HttpResult;
    expect(result.statusCode).toBe(200);
    expect(bodyBytes(result)).toEqual(Buffer.from(renderTilePng(spec)));
    expect(renderedBy).toEqual({ current: [spec], old: [] });
  });

  it("keeps conditional requests and HEAD working through the owner", async () => {
    const { current } = twoVersions();
    const first = (await current(apiEvent("GET", tile(OLD)))) as HttpResult;
    const etag = first.headers.etag;
    lambda.resetHistory();
    // Now cached: answered from the shared cache without forwarding.
    const again = (await current(apiEvent("GET", tile(OLD), { headers: { "if-none-match": etag } }))) as HttpResult;
    expect(again.statusCode).toBe(304);
    expect(lambda.commandCalls(InvokeCommand)).toHaveLength(0);
    const head = (await current(apiEvent("HEAD", tile(OLD, 2, 2, 1)))) as HttpResult;
    expect(head.statusCode).toBe(200);
    expect(head.body).toBe("");
    expect(lambda.commandCalls(InvokeCommand)).toHaveLength(1);
  });

  it("is a 404 unknown_render_version (no-store) when no version owns it, so the viewer re-reads /meta", async () => {
    const { current, renderedBy } = twoVersions();
    const result = (await current(apiEvent("GET", tile("r9-madeup")))) as HttpResult;
    expect(result.statusCode).toBe(404);
    expect(result.headers["cache-control"]).toBe("no-store");
    expect(jsonBody(result)).toMatchObject({ error: "unknown_render_version" });
    expect(renderedBy).toEqual({ current: [], old: [] });
  });

  it("remembers for a minute that a render version has no owner, so made-up versions cost one invoke", async () => {
    let clock = 0;
    const owners = lambdaRenderVersionOwners(lazyLambdaInvoker({}), FUNCTION, () => clock);
    twoVersions();
    const current = createTilesHandler({
      store: new FsTileStore(root),
      telemetry: capturedTelemetry("8").telemetry,
      owners,
    });
    for (let i = 0; i < 3; i++)
      expect(((await current(apiEvent("GET", tile("r9-madeup", 2, i, 0)))) as HttpResult).statusCode).toBe(404);
    expect(lambda.commandCalls(InvokeCommand)).toHaveLength(1);
    clock += NO_OWNER_TTL_MS + 1;
    await current(apiEvent("GET", tile("r9-madeup")));
    expect(lambda.commandCalls(InvokeCommand)).toHaveLength(2);
    // Versions that do have an owner are unaffected.
    expect(((await current(apiEvent("GET", tile(OLD)))) as HttpResult).statusCode).toBe(200);
  });

  it("asks nobody for render versions that cannot be alias names", async () => {
    const { current } = twoVersions();
    const result = (await current(apiEvent("GET", tile("r1.5")))) as HttpResult;
    expect(result.statusCode).toBe(404);
    expect(lambda.commandCalls(InvokeCommand)).toHaveLength(0);
  });

  it("is never forwarded twice: a mis-pointed alias answers 404 instead of looping", async () => {
    const { current } = twoVersions();
    const result = (await current({ fractile: "owner-request", request: apiEvent("GET", tile(OLD)) })) as HttpResult;
    expect(result.statusCode).toBe(404);
    expect(lambda.commandCalls(InvokeCommand)).toHaveLength(0);
  });

  it("fails as a logged 500 when the owner itself crashes", async () => {
    const { current } = twoVersions();
    lambda
      .on(InvokeCommand)
      .resolves({ StatusCode: 200, FunctionError: "Unhandled", Payload: Buffer.from('{"errorMessage":"x"}') as never });
    const result = (await current(apiEvent("GET", tile(OLD)))) as HttpResult;
    expect(result.statusCode).toBe(500);
  });
});

describe("the pre-traffic hook's self-test", () => {
  const asVersion = {
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${FUNCTION}:8`,
    awsRequestId: "r",
  } as Context;
  const asAlias = {
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${FUNCTION}:live`,
    awsRequestId: "r",
  } as Context;

  it("renders with the version's own code and leaves the cache untouched, even when the tile is cached", async () => {
    const { current, renderedBy, store } = twoVersions();
    const result = (await current(selfTestEvent(tile(RENDER_VERSION)), asVersion)) as HttpResult;
    expect(result.statusCode).toBe(200);
    expect(bodyBytes(result)).toEqual(Buffer.from(renderTilePng(spec)));
    expect(await readdir(root)).toEqual([]);

    // A poisoned cache entry cannot make the self-test pass or fail: it is never read.
    await store.put(tileKey(spec, RENDER_VERSION), new Uint8Array([1, 2, 3]));
    const again = (await current(selfTestEvent(tile(RENDER_VERSION)), asVersion)) as HttpResult;
    expect(bodyBytes(again)).toEqual(Buffer.from(renderTilePng(spec)));
    expect(renderedBy.current).toEqual([spec, spec]);
    expect(lambda.commandCalls(InvokeCommand)).toHaveLength(0);
  });

  it("is refused through an alias or without a version ARN", async () => {
    const { current, renderedBy } = twoVersions();
    for (const context of [asAlias, undefined]) {
      const result = (await current(selfTestEvent(tile(RENDER_VERSION)), context)) as HttpResult;
      expect(result.statusCode).toBe(403);
      expect(jsonBody(result)).toMatchObject({ error: "forbidden" });
    }
    expect(renderedBy.current).toEqual([]);
  });

  it("renders only its own render version and only tiles", async () => {
    const { current } = twoVersions();
    expect(((await current(selfTestEvent(tile(OLD)), asVersion)) as HttpResult).statusCode).toBe(404);
    expect(((await current(selfTestEvent("/health"), asVersion)) as HttpResult).statusCode).toBe(400);
    expect(((await current(selfTestEvent("/tiles/x"), asVersion)) as HttpResult).statusCode).toBe(404);
    expect(lambda.commandCalls(InvokeCommand)).toHaveLength(0);
    expect(await readdir(root)).toEqual([]);
  });
});
