/**
 * The whole-image function: `GET /render.{png,jpg,webp}` renders one view of
 * any size (within limits) and encodes it with @napi-rs/canvas. It lives in
 * its own Lambda so the tile function stays small and starts fast.
 */
import { ImageData, createCanvas } from "@napi-rs/canvas";
import type { APIGatewayProxyEventV2, Context } from "aws-lambda";
// The limits module alone: the export package's index would pull its poster encoders in.
import { LOSSY_QUALITY } from "../../packages/export/limits";
import { renderViewRgba } from "../../packages/render/index";
import { HttpError, binaryResponse, methodOf, pathSegments, queryOf, type HttpResult } from "./http";
import { parseImageRequest, type ImageRequest } from "./image-request";
import { METRIC, MetricUnit, finishResponse, type Telemetry } from "./observability";
import type { RenderView } from "./renderers";
import { resolveRoute } from "./router";
import { IMAGE_ROUTES, type ImageFormat } from "./routes";
import { answerError } from "./answer-error";

/** Lambda's response limit is 6 MB including the base64 inflation; keep headroom for headers. */
export const MAX_ENCODED_BYTES = Math.floor(((6 * 1024 * 1024 - 16 * 1024) * 3) / 4);

const CONTENT_TYPES: Record<ImageFormat, string> = { png: "image/png", jpeg: "image/jpeg", webp: "image/webp" };

export interface ImageHandlerDeps {
  telemetry: Telemetry;
  /** Default: the render core in-process (Lambda); the local server passes its worker pool's. */
  renderView?: RenderView;
  clock?: () => number;
}

export async function encodeImage(
  rgba: Uint8ClampedArray,
  width: number,
  height: number,
  format: ImageFormat,
): Promise<Uint8Array> {
  const canvas = createCanvas(width, height);
  canvas.getContext("2d").putImageData(new ImageData(rgba, width, height), 0, 0);
  return format === "png" ? canvas.encode("png") : canvas.encode(format, LOSSY_QUALITY);
}

export function createImageHandler(deps: ImageHandlerDeps) {
  const { logger, metrics } = deps.telemetry;
  const renderView = deps.renderView ?? renderViewRgba;
  const clock = deps.clock ?? (() => performance.now());

  async function renderAndEncode(request: ImageRequest): Promise<{ bytes: Uint8Array; renderMs: number }> {
    const started = clock();
    const rgba = await renderView({
      centerRe: request.centerRe,
      centerIm: request.centerIm,
      pixelSize: request.pixelSize,
      width: request.width,
      height: request.height,
      palette: request.palette,
      maxIter: request.maxIter,
      // From DEEP_FROM_ZOOM on the render core reads these instead of the float64 fields.
      exact: { re: request.re, im: request.im, zoom: request.zoom },
    });
    const bytes = await encodeImage(rgba, request.width, request.height, request.format);
    return { bytes, renderMs: clock() - started };
  }

  return async function imageHandler(event: APIGatewayProxyEventV2, context?: Context): Promise<HttpResult> {
    const requestId = event.requestContext?.requestId ?? context?.awsRequestId;
    const method = methodOf(event);
    let result: HttpResult;
    try {
      const { params } = resolveRoute(IMAGE_ROUTES, method, pathSegments(event.rawPath ?? "/"));
      const request = parseImageRequest(params.format, queryOf(event));
      metrics.addMetric(METRIC.ImageRequests, MetricUnit.Count, 1);
      const { bytes, renderMs } = await renderAndEncode(request);
      metrics.addMetric(METRIC.RenderMs, MetricUnit.Milliseconds, renderMs);
      logger.info("image", {
        requestId,
        format: request.format,
        width: request.width,
        height: request.height,
        zoom: request.zoom,
        renderMs,
        bytes: bytes.byteLength,
      });
      if (bytes.byteLength > MAX_ENCODED_BYTES) {
        throw new HttpError(
          413,
          "image_too_large",
          `the encoded ${request.format} is ${bytes.byteLength} bytes, over the ${MAX_ENCODED_BYTES} a response can carry; ask for fewer pixels or for jpg/webp`,
        );
      }
      // The same query always gives the same pixels, so the picture can be cached for a day.
      result = binaryResponse(
        bytes,
        { "content-type": CONTENT_TYPES[request.format], "cache-control": "public, max-age=86400" },
        method,
      );
    } catch (error) {
      result = answerError(error, { telemetry: deps.telemetry, requestId, path: event.rawPath });
    }
    return finishResponse(result, method, metrics);
  };
}
