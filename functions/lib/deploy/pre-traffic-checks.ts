/**
 * What "the new version is fit for traffic" means.
 *
 * Tile function: it renders byte-identical golden tiles *itself* (a self-test
 * request: no cache read, so bytes already in S3 cannot answer for it, and no
 * cache write, so a failed release leaves nothing behind); the expected hashes
 * are computed here by the same render core the hook was bundled with, and
 * must equal the ones committed in golden.json for this render version (so a
 * platform that encodes differently, e.g. arm64 Lambda vs the x64 machine that
 * pinned them, can never fork the cache); its /health names the expected
 * render and function version.
 *
 * Image function: it renders and encodes a small PNG of the requested size.
 *
 * Each check returns problems instead of throwing, so one run reports
 * everything that is wrong.
 */
import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { tileKey } from "../../../packages/cache/index";
import {
  GOLDEN_TILES,
  RENDER_VERSION,
  pinnedGoldenSha256,
  renderTilePng,
  sha256Hex,
  type TileSpec,
} from "../../../packages/render/index";
import { selfTestEvent } from "../internal-events";
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
      problems.push(
        `${path}: this platform renders sha256 ${expected}, golden.json pins ${pinned} for ${RENDER_VERSION}`,
      );
    }
    const result = await invoker.invoke(selfTestEvent(path));
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
    problems.push(
      `/health: functionVersion ${JSON.stringify(health.functionVersion)}, expected "${expectedFunctionVersion}"`,
    );
  }
  return problems;
}

/** The image the image function's hook asks for: small, so the check costs well under a second. */
export const HOOK_IMAGE = { width: 64, height: 48 } as const;

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export async function checkImage(invoker: VersionInvoker): Promise<string[]> {
  const query = { width: String(HOOK_IMAGE.width), height: String(HOOK_IMAGE.height) };
  const request = {
    ...apiGatewayGet("/render.png"),
    rawQueryString: new URLSearchParams(query).toString(),
    queryStringParameters: query,
  };
  const result = await invoker.invoke(request);
  const what = `/render.png?${request.rawQueryString}`;
  if (result.statusCode !== 200) return [`${what}: HTTP ${result.statusCode}, expected 200`];
  const contentType = result.headers?.["content-type"];
  const bytes = Buffer.from(responseBytes(result));
  const problems: string[] = [];
  if (contentType !== "image/png")
    problems.push(`${what}: content-type ${JSON.stringify(contentType)}, expected "image/png"`);
  if (
    bytes.length < 24 ||
    !PNG_SIGNATURE.every((b, i) => bytes[i] === b) ||
    bytes.subarray(12, 16).toString("latin1") !== "IHDR"
  ) {
    problems.push(`${what}: the body is not a PNG`);
    return problems;
  }
  const size = { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
  if (size.width !== HOOK_IMAGE.width || size.height !== HOOK_IMAGE.height) {
    problems.push(`${what}: a ${size.width}x${size.height} PNG, expected ${HOOK_IMAGE.width}x${HOOK_IMAGE.height}`);
  }
  return problems;
}
