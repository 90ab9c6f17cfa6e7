/**
 * `POST /exports` bodies → a validated job spec. Throws ValidationError naming the field, never
 * anything else, for any JSON a client can send.
 */
import { DecimalSyntaxError, parseDecimalRational } from "../deep/fixed";
import { PALETTES, VIEW_LIMITS, ValidationError, budgetForPixelZoom, type PaletteName } from "../render/index";
import { parsePalette } from "../render/spec";
import { EXPORT_LIMITS, formatSizeProblem, type ExportFormat } from "./limits";
import { partRect, partView, planParts } from "./parts";

export interface PosterSpec {
  kind: "poster";
  /** Decimal strings exactly as sent: any precision survives into the job record. */
  re: string;
  im: string;
  zoom: number;
  width: number;
  height: number;
  palette: PaletteName;
  format: ExportFormat;
  /** Iteration budget by the pixel-zoom rule (budgetForPixelZoom), fixed at submission. */
  maxIter: number;
}

/** A zoom sequence: `frames` images of one size from `fromZoom` to `toZoom`, evenly spaced in zoom. */
export interface ZoomSpec {
  kind: "zoom";
  re: string;
  im: string;
  fromZoom: number;
  toZoom: number;
  frames: number;
  width: number;
  height: number;
  palette: PaletteName;
  /** Each frame's file in the zip. */
  format: ExportFormat;
}

export type ExportSpec = PosterSpec | ZoomSpec;

const FIELDS = new Set(["kind", "re", "im", "zoom", "width", "height", "palette", "format"]);
const ZOOM_FIELDS = new Set([
  "kind",
  "re",
  "im",
  "fromZoom",
  "toZoom",
  "frames",
  "width",
  "height",
  "palette",
  "format",
]);

export function parseExportSpec(body: unknown): ExportSpec {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new ValidationError("body", 'must be a JSON object such as {"re":"-0.75","im":"0.1","zoom":3,...}');
  }
  const raw = body as Record<string, unknown>;
  if (raw.kind === "zoom") return parseZoomSpec(raw);
  for (const name of Object.keys(raw)) {
    if (!FIELDS.has(name))
      throw new ValidationError(name.slice(0, 32), `is not a field of an export; use ${[...FIELDS].join(", ")}`);
  }
  if (raw.kind !== undefined && raw.kind !== "poster") {
    throw new ValidationError("kind", 'must be "poster" (the default) or "zoom"');
  }
  const re = coordinate("re", raw.re);
  const im = coordinate("im", raw.im);
  const zoom = zoomOf(raw.zoom);
  const width = side("width", raw.width);
  const height = side("height", raw.height);
  const palette = raw.palette === undefined ? parsePalette(undefined) : paletteOf(raw.palette);
  const format = formatOf(raw.format);
  checkFormatSize(format, width, height);
  const maxIter = budgetForPixelZoom(zoom);
  const work = width * height * maxIter;
  if (work > EXPORT_LIMITS.maxWork) {
    throw new ValidationError(
      "width",
      `width × height × iteration budget = ${width} × ${height} × ${maxIter} exceeds ${EXPORT_LIMITS.maxWork}; ask for fewer pixels at this zoom`,
    );
  }
  const poster: PosterSpec = { kind: "poster", re, im, zoom, width, height, palette, format, maxIter };
  checkPartCentres(poster);
  return poster;
}

/**
 * Every part is rendered as a view, and the render core refuses a view centred beyond
 * ±maxAbsCoordinate; a poster whose outer parts would be would fail in the workers, part after
 * part, into the dead-letter queue. The first part (top left) and the last (bottom right) have
 * the extreme centres: every band has the same columns.
 */
function checkPartCentres(spec: PosterSpec): void {
  const plan = planParts(spec);
  const limit = EXPORT_LIMITS.maxAbsCoordinate;
  for (const index of [0, plan.count - 1]) {
    const { centerRe, centerIm } = partView(spec, partRect(spec, plan, index));
    const field = Math.abs(centerRe) > limit ? "width" : Math.abs(centerIm) > limit ? "height" : undefined;
    if (field) {
      throw new ValidationError(
        field,
        `at zoom ${spec.zoom} a ${spec.width} × ${spec.height} poster centred on ${spec.re.slice(0, 24)}${spec.im.startsWith("-") ? "" : "+"}${spec.im.slice(0, 24)}i reaches past ±${limit}, where nothing is rendered; zoom in or ask for fewer pixels`,
      );
    }
  }
}

/**
 * Every frame is one part, so it must be a view the render core accepts whole (VIEW_LIMITS) at
 * its deepest zoom; the whole sequence counts against the job's work bound like a poster. Frames
 * come in any poster format, within that format's limits (FORMAT_LIMITS).
 */
function parseZoomSpec(raw: Record<string, unknown>): ZoomSpec {
  for (const name of Object.keys(raw)) {
    if (!ZOOM_FIELDS.has(name))
      throw new ValidationError(
        name.slice(0, 32),
        `is not a field of a zoom export; use ${[...ZOOM_FIELDS].join(", ")}`,
      );
  }
  const re = coordinate("re", raw.re);
  const im = coordinate("im", raw.im);
  const fromZoom = zoomOf(raw.fromZoom, "fromZoom");
  const toZoom = zoomOf(raw.toZoom, "toZoom");
  const frames = raw.frames;
  if (typeof frames !== "number" || !Number.isInteger(frames) || frames < 2 || frames > EXPORT_LIMITS.maxFrames) {
    throw new ValidationError("frames", `must be a whole number from 2 to ${EXPORT_LIMITS.maxFrames}`);
  }
  const width = side("width", raw.width);
  const height = side("height", raw.height);
  const format = formatOf(raw.format);
  // Before the frame's own bounds, as for a poster: a size the format cannot hold names `format`.
  checkFormatSize(format, width, height);
  for (const [field, value] of [
    ["width", width],
    ["height", height],
  ] as const) {
    if (value > VIEW_LIMITS.maxSide)
      throw new ValidationError(field, `must be a whole number of pixels from 1 to ${VIEW_LIMITS.maxSide} per frame`);
  }
  if (width * height > VIEW_LIMITS.maxPixels)
    throw new ValidationError("width", `width × height must be at most ${VIEW_LIMITS.maxPixels} pixels per frame`);
  const deepestBudget = budgetForPixelZoom(Math.max(fromZoom, toZoom));
  if (width * height * deepestBudget > VIEW_LIMITS.maxWork) {
    throw new ValidationError(
      "width",
      `width × height × iteration budget of the deepest frame must be at most ${VIEW_LIMITS.maxWork}`,
    );
  }
  if (width * height * deepestBudget * frames > EXPORT_LIMITS.maxWork) {
    throw new ValidationError("frames", `frames × width × height × iteration budget exceeds ${EXPORT_LIMITS.maxWork}`);
  }
  const palette = raw.palette === undefined ? parsePalette(undefined) : paletteOf(raw.palette);
  return { kind: "zoom", re, im, fromZoom, toZoom, frames, width, height, palette, format };
}

function coordinate(field: string, value: unknown): string {
  if (typeof value !== "string")
    throw new ValidationError(field, 'must be a decimal string such as "-0.743643887037151"');
  // The render core's bound on exact coordinates (enough digits for its deepest zoom).
  if (value.length > VIEW_LIMITS.maxCoordinateChars) {
    throw new ValidationError(field, `must have at most ${VIEW_LIMITS.maxCoordinateChars} characters`);
  }
  try {
    parseDecimalRational(value); // bounded length and exponent: no input costs unbounded work
  } catch (error) {
    if (error instanceof DecimalSyntaxError) throw new ValidationError(field, error.reason);
    throw error;
  }
  const limit = EXPORT_LIMITS.maxAbsCoordinate;
  if (!(Math.abs(Number(value)) <= limit)) throw new ValidationError(field, `must be between -${limit} and ${limit}`);
  return value;
}

function zoomOf(value: unknown, field = "zoom"): number {
  const zoom = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  const { minZoom, maxZoom } = EXPORT_LIMITS;
  // Float rounding of log2 must not reject a zoom exactly at a limit.
  if (typeof zoom !== "number" || !Number.isFinite(zoom) || zoom < minZoom - 1e-9 || zoom > maxZoom + 1e-9) {
    throw new ValidationError(field, `must be a number from ${minZoom} to ${maxZoom}`);
  }
  return zoom;
}

function side(field: string, value: unknown): number {
  const max = EXPORT_LIMITS.maxSide;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > max) {
    throw new ValidationError(field, `must be a whole number of pixels from 1 to ${max}`);
  }
  return value;
}

function formatOf(value: unknown): ExportFormat {
  if (value === undefined) return "png";
  if (typeof value !== "string" || !EXPORT_LIMITS.formats.includes(value as ExportFormat))
    throw new ValidationError("format", `must be one of ${EXPORT_LIMITS.formats.join(", ")}`);
  return value as ExportFormat;
}

/** FORMAT_LIMITS, the one table of what each format holds, for posters and frames alike. */
function checkFormatSize(format: ExportFormat, width: number, height: number): void {
  const problem = formatSizeProblem(format, width, height);
  if (problem) throw new ValidationError("format", problem);
}

function paletteOf(value: unknown): PaletteName {
  if (typeof value !== "string" || !PALETTES.includes(value))
    throw new ValidationError("palette", `must be one of ${PALETTES.join(", ")}`);
  return value;
}
