/**
 * What "the new version is fit for traffic" means: it returns byte-identical
 * golden tiles (hashes computed here by the same render core the hook was
 * bundled with), those bytes are the ones committed in golden.json for this
 * render version (so a platform that encodes differently, e.g. arm64 Lambda
 * vs the x64 machine that pinned them, can never fork the cache), and its
 * /health names the expected render and function version. Each check returns problems instead of throwing, so one run reports
 * everything that is wrong.
 */
import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { tileKey } from "../../../packages/cache/index";
import { GOLDEN_TILES, RENDER_VERSION, pinnedGoldenSha256, renderTilePng, sha256Hex, type TileSpec } from "../../../packages/render/index";
import { apiGatewayGet } from "./api-event";
import type { VersionInvoker } from "./ports";

export function goldenTilePath(spec: TileSpec, renderVersion = RENDER_VERSION): string {
  return `/${tileKey(spec, renderVersion)}`;
}

export function responseBytes(result: APIGatewayProxyStructuredResultV2): Uint8Array {
  const body = result.body ?? "";
  return result.isBase64Encoded ? Buffer.from(body, "base64") : Buffer.from(body, "utf8");
}

export async function checkGoldenTiles(
  invoker: VersionInvoker,
  goldenTiles: readonly TileSpec[] = GOLDEN_TILES,
  pinnedSha256: (spec: TileSpec) => string | undefined = pinnedGoldenSha256,
): Promise<string[]> {
  const problems: string[] = [];
  for (const spec of goldenTiles) {
    const path = goldenTilePath(spec);
    const expected = sha256Hex(renderTilePng(spec));
    const pinned = pinnedSha256(spec);
    if (pinned !== undefined && pinned !== expected) {
      problems.push(`${path}: this platform renders sha256 ${expected}, golden.json pins ${pinned} for ${RENDER_VERSION}`);
    }
    const result = await invoker.invoke(apiGatewayGet(path));
    if (result.statusCode !== 200) {
      problems.push(`${path}: HTTP ${result.statusCode}, expected 200`);
      continue;
    }
    const actual = sha256Hex(responseBytes(result));
    if (actual !== expected) problems.push(`${path}: sha256 ${actual}, expected ${expected}`);
  }
  return problems;
}

/** The version number at the end of a version ARN (`...:function:name:42` → `42`). */
export function versionOfArn(versionArn: string): string {
  const version = versionArn.split(":")[7];
  if (!version || !/^\d+$/.test(version)) {
    throw new Error(`not a published Lambda version ARN: ${versionArn}`);
  }
  return version;
}

export async function checkHealth(invoker: VersionInvoker, expectedFunctionVersion: string): Promise<string[]> {
  const result = await invoker.invoke(apiGatewayGet("/health"));
  if (result.statusCode !== 200) return [`/health: HTTP ${result.statusCode}, expected 200`];
  let health: { status?: unknown; renderVersion?: unknown; functionVersion?: unknown };
  try {
    health = JSON.parse(Buffer.from(responseBytes(result)).toString("utf8"));
  } catch {
    return ["/health: body is not JSON"];
  }
  const problems: string[] = [];
  if (health.status !== "ok") problems.push(`/health: status ${JSON.stringify(health.status)}, expected "ok"`);
  if (health.renderVersion !== RENDER_VERSION) {
    problems.push(`/health: renderVersion ${JSON.stringify(health.renderVersion)}, expected "${RENDER_VERSION}"`);
  }
  if (health.functionVersion !== expectedFunctionVersion) {
    problems.push(`/health: functionVersion ${JSON.stringify(health.functionVersion)}, expected "${expectedFunctionVersion}"`);
  }
  return problems;
}
