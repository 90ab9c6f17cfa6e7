/**
 * Query parameters of `GET /render.{png,jpg,webp}` → a bounded view.
 *
 * Bounds: each side, the pixel count and the total work (pixels × iteration
 * budget) are capped so one request can neither outgrow the Lambda response
 * (6 MB, base64 inflates by 4/3) nor run past the function's timeout.
 */
import {
  DEFAULT_PALETTE,
  IMAGE_LIMITS,
  PALETTES,
  budgetForPixelZoom,
  pixelSizeOfZoom,
  zoomOfPixelSize,
  type PaletteName,
} from "../../packages/render/index";
import { HttpError } from "./http";
import type { ImageFormat } from "./routes";

export const IMAGE_DEFAULTS = { re: -0.5, im: 0, zoom: 0, width: 512, height: 512 } as const;

const KNOWN_PARAMS = new Set(["re", "im", "zoom", "scale", "width", "height", "palette"]);
const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d{1,3})?$/;
const ZOOM_CHARS = 40;
const INTEGER = /^[1-9]\d{0,5}$/;

export interface ImageRequest {
  format: ImageFormat;
  /** The centre as given (decimal text of any length within the limit): exact at any depth. */
  re: string;
  im: string;
  centerRe: number;
  centerIm: number;
  /** Complex units per pixel. */
  pixelSize: number;
  /** The same in tile zoom units: pixel size = 4 / 2^zoom / 256. */
  zoom: number;
  width: number;
  height: number;
  palette: PaletteName;
  maxIter: number;
}

export function parseImageRequest(format: ImageFormat, query: Record<string, string | undefined>): ImageRequest {
  for (const name of Object.keys(query)) {
    if (!KNOWN_PARAMS.has(name)) {
      throw badParam(name.slice(0, 32), `is not a parameter of /render; use ${[...KNOWN_PARAMS].join(", ")}`);
    }
  }
  const re = query.re ?? String(IMAGE_DEFAULTS.re);
  const im = query.im ?? String(IMAGE_DEFAULTS.im);
  const centerRe = decimal(
    { re },
    "re",
    IMAGE_DEFAULTS.re,
    IMAGE_LIMITS.maxAbsCoordinate,
    IMAGE_LIMITS.maxCoordinateChars,
  );
  const centerIm = decimal(
    { im },
    "im",
    IMAGE_DEFAULTS.im,
    IMAGE_LIMITS.maxAbsCoordinate,
    IMAGE_LIMITS.maxCoordinateChars,
  );
  const { zoom, pixelSize } = zoomAndPixelSize(query);
  const width = side(query, "width", IMAGE_DEFAULTS.width);
  const height = side(query, "height", IMAGE_DEFAULTS.height);
  const palette = paletteOf(query.palette);

  const pixels = width * height;
  if (pixels > IMAGE_LIMITS.maxPixels) {
    throw new HttpError(
      413,
      "image_too_large",
      `width × height = ${pixels} pixels exceeds the limit of ${IMAGE_LIMITS.maxPixels}`,
    );
  }
  const maxIter = budgetForPixelZoom(zoom);
  const work = pixels * maxIter;
  if (work > IMAGE_LIMITS.maxWork) {
    throw new HttpError(
      413,
      "too_much_work",
      `width × height × iteration budget = ${pixels} × ${maxIter} exceeds ${IMAGE_LIMITS.maxWork}; request fewer pixels at this zoom`,
    );
  }
  return { format, re, im, centerRe, centerIm, pixelSize, zoom, width, height, palette, maxIter };
}

/** Float rounding of log2 must not reject a pixel size exactly at a limit. */
const ZOOM_TOLERANCE = 1e-9;

function zoomAndPixelSize(query: Record<string, string | undefined>): { zoom: number; pixelSize: number } {
  if (query.zoom !== undefined && query.scale !== undefined) {
    throw badParam("zoom", "give either zoom or scale, not both");
  }
  const { minZoom, maxZoom, maxScaleZoom } = IMAGE_LIMITS;
  const inRange = (zoom: number, max: number) => zoom >= minZoom - ZOOM_TOLERANCE && zoom <= max + ZOOM_TOLERANCE;
  if (query.scale !== undefined) {
    const pixelSize = decimal(query, "scale", 0, Infinity, ZOOM_CHARS);
    const zoom = zoomOfPixelSize(pixelSize);
    if (!(pixelSize > 0) || !inRange(zoom, maxScaleZoom)) {
      throw badParam(
        "scale",
        `must be a pixel size between ${pixelSizeOfZoom(maxScaleZoom)} and ${pixelSizeOfZoom(minZoom)} complex units; deeper views give zoom (up to ${maxZoom}) instead`,
      );
    }
    return { zoom, pixelSize };
  }
  const zoom = decimal(query, "zoom", IMAGE_DEFAULTS.zoom, Infinity, ZOOM_CHARS);
  if (!inRange(zoom, maxZoom)) throw badParam("zoom", `must be between ${minZoom} and ${maxZoom}`);
  return { zoom, pixelSize: pixelSizeOfZoom(zoom) };
}

function decimal(
  query: Record<string, string | undefined>,
  name: string,
  fallback: number,
  maxAbs: number,
  maxChars: number,
): number {
  const raw = query[name];
  if (raw === undefined) return fallback;
  if (raw.length > maxChars) throw badParam(name, `must have at most ${maxChars} characters`);
  if (!DECIMAL.test(raw)) throw badParam(name, "must be a decimal number such as -0.75 or 1e-3");
  const value = Number(raw);
  if (!Number.isFinite(value)) throw badParam(name, "must be a finite number");
  if (Math.abs(value) > maxAbs) throw badParam(name, `must be between -${maxAbs} and ${maxAbs}`);
  return value;
}

function side(query: Record<string, string | undefined>, name: string, fallback: number): number {
  const raw = query[name];
  if (raw === undefined) return fallback;
  const value = INTEGER.test(raw) ? Number(raw) : NaN;
  if (!(value >= 1 && value <= IMAGE_LIMITS.maxSide)) {
    throw badParam(name, `must be a whole number of pixels from 1 to ${IMAGE_LIMITS.maxSide}`);
  }
  return value;
}

function paletteOf(raw: string | undefined): PaletteName {
  if (raw === undefined) return DEFAULT_PALETTE;
  if (!PALETTES.includes(raw)) throw badParam("palette", `must be one of ${PALETTES.join(", ")}`);
  return raw;
}

function badParam(name: string, rule: string): HttpError {
  return new HttpError(400, "invalid_parameter", `${name}: ${rule}`);
}
