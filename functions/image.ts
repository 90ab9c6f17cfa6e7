/**
 * Lambda entry point of the whole-image function (`GET /render.{png,jpg,webp}`).
 * Kept apart from the tile function because it carries @napi-rs/canvas.
 */
import { warmUp } from "../packages/render/index";
import { createImageHandler } from "./lib/image-handler";
import { createTelemetry } from "./lib/observability";

const telemetry = createTelemetry({ defaultServiceName: "fractile-image" });

warmUp();

export const handler = createImageHandler({ telemetry });
