import { getKernel } from "../kernel/index";
import { colourTable, indicesToRgba, paletteIndices, type PaletteName } from "../colour/index";
import {
  MAX_BUDGET,
  MAX_ZOOM,
  TILE_SIZE,
  ValidationError,
  WORLD_SIZE,
  budgetForPixelZoom,
  zoomOfPixelSize,
} from "../tile/index";
import { DEEP_FROM_ZOOM, DecimalSyntaxError, parseDecimal, renderDeepView } from "../deep/index";
import { parsePalette } from "./spec";

/** A whole image: any centre, pixel size (complex units per pixel) and dimensions. */
export interface ViewSpec {
  centerRe: number;
  centerIm: number;
  pixelSize: number;
  width: number;
  height: number;
  palette: PaletteName;
  maxIter?: number;
  /**
   * The centre as exact decimal text and the zoom (tile units: pixel size
   * = 4 / 2^zoom / 256). Required from DEEP_FROM_ZOOM on, where float64
   * cannot hold the centre or the pixel size; then the view is rendered by
   * perturbation and centerRe, centerIm and pixelSize are ignored.
   */
  exact?: { re: string; im: string; zoom: number };
}

/**
 * Bounds of a view, so no caller can ask for unbounded memory or work:
 * pixels ≤ 2.36 M and pixels × maxIter ≤ 4e9 (a few seconds of the SIMD
 * kernel). Float64 views' pixels may be as small as an @2x tile's at the
 * deepest float64 zoom (DEEP_FROM_ZOOM − 1) and as large as a zoom −4 tile's;
 * deeper views give their centre as decimal text of at most maxCoordinateChars
 * characters (2400 zooms need about 730 significant digits) and a zoom up to
 * MAX_ZOOM.
 */
export const VIEW_LIMITS = {
  maxSide: 4096,
  maxPixels: 2_359_296,
  maxWork: 4e9,
  maxAbsCoordinate: 8,
  minPixelSize: WORLD_SIZE / 2 ** (DEEP_FROM_ZOOM - 1) / (2 * TILE_SIZE),
  maxZoom: MAX_ZOOM,
  maxCoordinateChars: 1024,
  maxPixelSize: (WORLD_SIZE * 2 ** 4) / TILE_SIZE,
} as const;

/**
 * VIEW_LIMITS in the units of the /render query and of the viewer (which reads them from /meta):
 * zoom (the pixel-zoom rule, packages/tile) instead of pixel size.
 */
export const IMAGE_LIMITS = {
  maxSide: VIEW_LIMITS.maxSide,
  maxPixels: VIEW_LIMITS.maxPixels,
  maxWork: VIEW_LIMITS.maxWork,
  maxAbsCoordinate: VIEW_LIMITS.maxAbsCoordinate,
  minZoom: zoomOfPixelSize(VIEW_LIMITS.maxPixelSize),
  /** `zoom` reaches MAX_ZOOM (perturbation from DEEP_FROM_ZOOM on); `scale` only float64's range. */
  maxZoom: VIEW_LIMITS.maxZoom,
  maxScaleZoom: zoomOfPixelSize(VIEW_LIMITS.minPixelSize),
  maxCoordinateChars: VIEW_LIMITS.maxCoordinateChars,
} as const;

// Zoom computed from a pixel size by a caller may round a hair past the limit.
const PIXEL_SIZE_TOLERANCE = 1 + 1e-9;

function finite(field: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value)) throw new ValidationError(field, "must be a finite number");
  return value;
}

function wholeNumber(field: string, value: unknown, max: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > max) {
    throw new ValidationError(field, `must be a whole number from 1 to ${max}`);
  }
  return value;
}

/** Checks a view and fills in its iteration budget; throws ValidationError naming the field. */
export function validateView(view: ViewSpec): Required<Omit<ViewSpec, "exact">> {
  if (typeof view !== "object" || view === null) throw new ValidationError("view", "must be an object");
  const L = VIEW_LIMITS;
  const centerRe = finite("centerRe", view.centerRe);
  const centerIm = finite("centerIm", view.centerIm);
  for (const [field, value] of [
    ["centerRe", centerRe],
    ["centerIm", centerIm],
  ] as const) {
    if (Math.abs(value) > L.maxAbsCoordinate)
      throw new ValidationError(field, `must be between -${L.maxAbsCoordinate} and ${L.maxAbsCoordinate}`);
  }
  const pixelSize = finite("pixelSize", view.pixelSize);
  if (!(pixelSize * PIXEL_SIZE_TOLERANCE >= L.minPixelSize && pixelSize <= L.maxPixelSize * PIXEL_SIZE_TOLERANCE)) {
    throw new ValidationError(
      "pixelSize",
      `must be between ${L.minPixelSize} and ${L.maxPixelSize} complex units per pixel`,
    );
  }
  const width = wholeNumber("width", view.width, L.maxSide);
  const height = wholeNumber("height", view.height, L.maxSide);
  if (width * height > L.maxPixels)
    throw new ValidationError("width", `width × height must be at most ${L.maxPixels} pixels`);
  const maxIter =
    view.maxIter === undefined
      ? budgetForPixelZoom(zoomOfPixelSize(pixelSize))
      : wholeNumber("maxIter", view.maxIter, MAX_BUDGET);
  if (width * height * maxIter > L.maxWork) {
    throw new ValidationError("maxIter", `width × height × maxIter must be at most ${L.maxWork} iterations`);
  }
  return { centerRe, centerIm, pixelSize, width, height, palette: parsePalette(view.palette), maxIter };
}

export interface DeepView {
  re: string;
  im: string;
  zoom: number;
  width: number;
  height: number;
  palette: PaletteName;
  maxIter: number;
}

function exactCoordinate(field: "re" | "im", text: unknown): string {
  const L = VIEW_LIMITS;
  if (typeof text !== "string") throw new ValidationError(field, "must be a decimal string");
  if (text.length > L.maxCoordinateChars)
    throw new ValidationError(field, `must have at most ${L.maxCoordinateChars} characters`);
  try {
    parseDecimal(text, 8); // syntax only; the renderer reads it at its own precision
  } catch (error) {
    if (error instanceof DecimalSyntaxError)
      throw new ValidationError(field, "must be a decimal number such as -0.75 or 1.5e-3");
    throw error;
  }
  if (!(Math.abs(Number(text)) <= L.maxAbsCoordinate)) {
    throw new ValidationError(field, `must be between -${L.maxAbsCoordinate} and ${L.maxAbsCoordinate}`);
  }
  return text;
}

/** A view deep enough for perturbation, checked; undefined for views float64 renders. */
export function validateDeepView(view: ViewSpec): DeepView | undefined {
  if (typeof view !== "object" || view === null || view.exact === undefined) return undefined;
  const { zoom } = view.exact;
  if (typeof zoom !== "number" || !Number.isFinite(zoom) || zoom > VIEW_LIMITS.maxZoom) {
    throw new ValidationError("zoom", `must be a number up to ${VIEW_LIMITS.maxZoom}`);
  }
  if (zoom < DEEP_FROM_ZOOM) return undefined; // float64: validateView checks the rest
  const re = exactCoordinate("re", view.exact.re);
  const im = exactCoordinate("im", view.exact.im);
  const L = VIEW_LIMITS;
  const width = wholeNumber("width", view.width, L.maxSide);
  const height = wholeNumber("height", view.height, L.maxSide);
  if (width * height > L.maxPixels)
    throw new ValidationError("width", `width × height must be at most ${L.maxPixels} pixels`);
  const maxIter =
    view.maxIter === undefined ? budgetForPixelZoom(zoom) : wholeNumber("maxIter", view.maxIter, MAX_BUDGET);
  if (width * height * maxIter > L.maxWork) {
    throw new ValidationError("maxIter", `width × height × maxIter must be at most ${L.maxWork} iterations`);
  }
  return { re, im, zoom, width, height, palette: parsePalette(view.palette), maxIter };
}

/**
 * Renders a view to RGBA (width × height × 4, row-major). Pixel centres follow
 * the tile convention, so a view covering exactly one tile gives that tile's
 * pixels, at every depth (deep views use the tiles' anchors and references).
 */
export function renderViewRgba(view: ViewSpec): Uint8ClampedArray {
  const deep = validateDeepView(view);
  if (deep) {
    const { smooth } = renderDeepView(deep);
    return indicesToRgba(paletteIndices(smooth, undefined, deep.zoom), colourTable(deep.palette).rgba32);
  }
  const v = validateView(view);
  return indicesToRgba(viewIndices(v), colourTable(v.palette).rgba32);
}

/**
 * The same view as palette indices (one byte per pixel, row-major): what an indexed PNG
 * stores, a quarter of RGBA's bytes. Exports render their parts with it.
 */
export function renderViewIndices(view: ViewSpec): Uint8Array {
  const deep = validateDeepView(view);
  if (deep) return paletteIndices(renderDeepView(deep).smooth, undefined, deep.zoom);
  return viewIndices(validateView(view));
}

function viewIndices(v: Required<Omit<ViewSpec, "exact">>): Uint8Array {
  const left = v.centerRe - (v.width / 2) * v.pixelSize;
  const top = v.centerIm + (v.height / 2) * v.pixelSize;
  const { smooth } = getKernel().render({
    left,
    top,
    step: v.pixelSize,
    width: v.width,
    height: v.height,
    maxIter: v.maxIter,
  });
  return paletteIndices(smooth);
}
