/**
 * `GET /point?re=&im=&zoom=`: one point inspected at the precision of a zoom
 * (packages/deep/point.ts): escape count, smooth value, the budget, and the
 * period of the attracting cycle for interior points. Bad input is a 400
 * naming the field; the work is bounded by the zoom's budget.
 */
import { VIEW_LIMITS, inspectPoint, type PointInspection } from "../../packages/render/index";
import { HttpError } from "./http";

const KNOWN_PARAMS = ["re", "im", "zoom"];
const ZOOM = /^(0|[1-9]\d{0,3})(\.\d{1,6})?$/;

function badParam(name: string, rule: string): HttpError {
  return new HttpError(400, "invalid_parameter", `${name}: ${rule}`);
}

function coordinate(query: Record<string, string | undefined>, name: "re" | "im"): string {
  const raw = query[name];
  if (raw === undefined || raw === "") throw badParam(name, "is required: a decimal number such as -0.75");
  const max = VIEW_LIMITS.maxCoordinateChars;
  if (raw.length > max) throw badParam(name, `must have at most ${max} characters`);
  return raw;
}

export function answerPoint(query: Record<string, string | undefined>): PointInspection {
  for (const name of Object.keys(query)) {
    if (!KNOWN_PARAMS.includes(name))
      throw badParam(name.slice(0, 32), `is not a parameter of /point; use ${KNOWN_PARAMS.join(", ")}`);
  }
  const re = coordinate(query, "re");
  const im = coordinate(query, "im");
  const zoomText = query.zoom ?? "0";
  if (!ZOOM.test(zoomText))
    throw badParam("zoom", `must be a number from 0 to ${VIEW_LIMITS.maxZoom} such as 12 or 40.5`);
  // inspectPoint checks the range and the decimals' syntax (ValidationError naming the field).
  return inspectPoint(re, im, Number(zoomText));
}
