/**
 * `npm run export` arguments → the `POST /exports` body it submits, validated by the job spec
 * itself (packages/export parseExportSpec, the API's own rules and EXPORT_LIMITS), with every
 * complaint naming the flag to fix rather than the JSON field.
 */
import { parseArgs } from "node:util";
import { EXPORT_LIMITS, parseExportSpec, type ExportSpec } from "../packages/export/index";
import { PALETTES, ValidationError } from "../packages/render/index";

export const EXPORT_USAGE = `usage: npm run export -- [--kind poster|zoom] --re DECIMAL --im DECIMAL [options] [--out FILE] [--json]
  poster (default):  --zoom Z --width W --height H          defaults: --re -0.5 --im 0 --zoom 4, 4096 × 4096
  zoom sequence:     --kind zoom --re DECIMAL --im DECIMAL --to-zoom Z [--from-zoom Z] [--frames N] [--width W --height H]
                     defaults: --from-zoom 0 --frames 120, 640 × 360; frames up to ${EXPORT_LIMITS.maxFrames},
                     each frame at most ${EXPORT_LIMITS.partMaxSide} px a side and ${EXPORT_LIMITS.partMaxPixels} px
  --palette P        one of ${PALETTES.join(", ")}
  --format F         one of ${EXPORT_LIMITS.formats.join(", ")}: the poster's file, or each frame's in a zoom
                     sequence's zip (frame-000.jpg, …); default png
  --out FILE         copy the result there (else its location in the job store is printed)
  --render-only      render every part, never read or write cached tiles (posters on the tile grid
                     are otherwise filled from the tile cache and warm it: docs/exports.md)
  --json             one line of timing, peak memory and tile counts instead of the progress bar`;

/** A command line the exporter cannot run; the message names the flag. */
export class UsageError extends Error {
  override name = "UsageError";
}

export interface ExportCommand {
  body: Record<string, unknown>;
  spec: ExportSpec;
  out?: string;
  json: boolean;
  renderOnly: boolean;
}

const POSTER_ONLY = ["zoom"] as const;
const ZOOM_ONLY = ["from-zoom", "to-zoom", "frames"] as const;

const OPTIONS = {
  kind: { type: "string" },
  re: { type: "string" },
  im: { type: "string" },
  zoom: { type: "string" },
  "from-zoom": { type: "string" },
  "to-zoom": { type: "string" },
  frames: { type: "string" },
  width: { type: "string" },
  height: { type: "string" },
  palette: { type: "string" },
  format: { type: "string" },
  out: { type: "string" },
  json: { type: "boolean", default: false },
  "render-only": { type: "boolean", default: false },
} as const;

export function parseExportArgs(argv: string[]): ExportCommand {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args: withNegativeValues(argv),
      strict: true,
      allowPositionals: false,
      options: OPTIONS,
    }).values;
  } catch (error) {
    // node:util names the option already ("Unknown option '--frame'", "Option '--re <value>' argument missing").
    throw new UsageError((error as Error).message);
  }
  const text = (flag: string): string | undefined => values[flag] as string | undefined;
  const kind = text("kind") ?? "poster";
  if (kind !== "poster" && kind !== "zoom") throw new UsageError("--kind: must be poster or zoom");
  const stray = kind === "poster" ? ZOOM_ONLY.find((flag) => text(flag) !== undefined) : undefined;
  if (stray) throw new UsageError(`--${stray}: only a zoom sequence takes it (add --kind zoom)`);
  const strayZoom = kind === "zoom" ? POSTER_ONLY.find((flag) => text(flag) !== undefined) : undefined;
  if (strayZoom) throw new UsageError("--zoom: a zoom sequence goes from --from-zoom to --to-zoom");

  const common = {
    ...(text("palette") !== undefined ? { palette: text("palette") } : {}),
    ...(text("format") !== undefined ? { format: text("format") } : {}),
  };
  let body: Record<string, unknown>;
  if (kind === "poster") {
    body = {
      re: text("re") ?? "-0.5",
      im: text("im") ?? "0",
      // 4096 px at zoom 4 span the whole set (4 units); at zoom 0 they would span 64, past ±8.
      zoom: numberOf(text("zoom") ?? "4"),
      width: numberOf(text("width") ?? "4096"),
      height: numberOf(text("height") ?? "4096"),
      ...common,
    };
  } else {
    // A zoom sequence into the middle of the set is black frames: the target is the user's to name.
    for (const flag of ["re", "im", "to-zoom"]) {
      if (text(flag) === undefined) throw new UsageError(`--${flag}: a zoom sequence needs it (where to zoom into)`);
    }
    body = {
      kind: "zoom",
      re: text("re"),
      im: text("im"),
      fromZoom: numberOf(text("from-zoom") ?? "0"),
      toZoom: numberOf(text("to-zoom")!),
      frames: numberOf(text("frames") ?? "120"),
      width: numberOf(text("width") ?? "640"),
      height: numberOf(text("height") ?? "360"),
      ...common,
    };
  }
  let spec: ExportSpec;
  try {
    spec = parseExportSpec(body);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    const rule = error.message.startsWith(`${error.field}: `)
      ? error.message.slice(error.field.length + 2)
      : error.message;
    throw new UsageError(`${flagOf(error.field)}: ${rule}`);
  }
  return { body, spec, out: text("out"), json: values.json === true, renderOnly: values["render-only"] === true };
}

/**
 * node:util reads `--re -0.75` as two options; coordinates and zooms are often negative, so a
 * value option followed by a negative number becomes `--re=-0.75`.
 */
function withNegativeValues(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i].startsWith("--") ? argv[i].slice(2) : undefined;
    const option = name === undefined ? undefined : OPTIONS[name as keyof typeof OPTIONS];
    if (option?.type === "string" && /^-[\d.]/.test(argv[i + 1] ?? "")) {
      out.push(`${argv[i]}=${argv[i + 1]}`);
      i++;
    } else out.push(argv[i]);
  }
  return out;
}

/** A number where the text is one; otherwise the text, for the spec to refuse with its own rule. */
function numberOf(text: string): number | string {
  const value = Number(text);
  return text.trim() !== "" && Number.isFinite(value) ? value : text;
}

/** The spec's field names are camelCase JSON; the flags are their kebab-case spelling. */
export function flagOf(field: string): string {
  return `--${field.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
}
