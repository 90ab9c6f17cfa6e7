// The tile service contract the viewer relies on (docs/architecture.md, HTTP API).

export interface Meta {
  renderVersion: string;
  palettes: string[];
  defaultPalette: string;
  tileSize: number;
  minZoom: number;
  maxZoom: number;
  /** `/tiles/{renderVersion}/{palette}/{z}/{x}/{y}{r}.png` with the render version filled in. */
  tileUrlTemplate: string;
  /** What `/render` accepts; the save-image link shrinks to fit them. */
  imageLimits: ImageLimits;
  /** What `POST /exports` accepts (packages/export EXPORT_LIMITS); absent on older servers. */
  exportLimits?: ExportLimits;
}

/** Bounds of one `/render` image, zoom in tile zoom units (packages/render IMAGE_LIMITS). */
export interface ImageLimits {
  maxSide: number;
  maxPixels: number;
  /** width × height × iteration budget at the image's zoom. */
  maxWork: number;
  minZoom: number;
  maxZoom: number;
  /** Longest re/im text /render and /point take (absent from servers that only render float64 depths). */
  maxCoordinateChars?: number;
}

/** Bounds of one export job: a poster's as ImageLimits, plus each zoom-sequence frame's (one part). */
export interface ExportLimits extends ImageLimits {
  /** A part, so a frame, is a view the render core takes whole (VIEW_LIMITS). */
  partMaxSide: number;
  partMaxPixels: number;
  partMaxWork: number;
  maxFrames: number;
  /** Formats of a poster and of a zoom sequence's frames (absent from servers that only wrote png). */
  formats?: readonly string[];
  /** What each format holds (packages/export FORMAT_LIMITS). */
  formatLimits?: Readonly<Record<string, { readonly maxSide: number; readonly maxPixels: number }>>;
}

/** An error the API answered with, carrying its JSON `{ error, detail }`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
  ) {
    super(detail ? `${code}: ${detail}` : code);
  }
}

/** Absolute or origin-relative URL for an API path; templates may already be absolute. */
export function apiUrl(apiBase: string, path: string): string {
  return /^https?:\/\//.test(path) ? path : `${apiBase}${path}`;
}

export async function fetchMeta(apiBase: string): Promise<Meta> {
  const response = await fetch(apiUrl(apiBase, "/meta"), { cache: "no-cache" });
  if (!response.ok) throw await apiErrorFrom(response);
  const meta = (await response.json()) as Meta;
  if (!meta.tileUrlTemplate || !Array.isArray(meta.palettes) || meta.palettes.length === 0 || !meta.imageLimits) {
    throw new Error("/meta answered without tileUrlTemplate, palettes or imageLimits");
  }
  return meta;
}

/** Reads the JSON error body when there is one; falls back to the status line. */
export async function apiErrorFrom(response: Response): Promise<ApiError> {
  const text = await response.text().catch(() => "");
  try {
    const body = JSON.parse(text) as { error?: unknown; detail?: unknown };
    if (typeof body.error === "string") {
      return new ApiError(response.status, body.error, typeof body.detail === "string" ? body.detail : "");
    }
  } catch {
    // not JSON: e.g. a CDN or proxy error page
  }
  return new ApiError(response.status, `HTTP ${response.status}`, response.statusText);
}
