/**
 * The HTTP API's one route table: which function answers a path and how the path's decoded
 * segments become that function's parameters. The handlers resolve requests with it, the local
 * server dispatches with it, the stack derives API Gateway's routes from it and the viewer's dev
 * server its proxy. No imports: synthesis and Vite load it without any runtime code.
 */

/** The deployed functions that answer HTTP. */
export type ApiFunction = "tiles" | "image" | "exports";

export interface Route<Params> {
  /** The path pattern, as 405 answers name it. */
  name: string;
  methods: readonly string[];
  /** API Gateway route paths that send this route's requests to its function. */
  gatewayPaths: readonly string[];
  /** The route's parameters when the decoded path segments belong to it. */
  match(segments: readonly string[]): Params | undefined;
}

/** Matches one exact path such as `/health`. */
export function exactPath(...expected: string[]): (segments: readonly string[]) => object | undefined {
  return (segments) =>
    segments.length === expected.length && segments.every((segment, i) => segment === expected[i]) ? {} : undefined;
}

const READ = ["GET", "HEAD"] as const;

export type TileRoute =
  | { kind: "health" }
  | { kind: "meta" }
  | { kind: "point" }
  | { kind: "tile"; version: string; palette: string; z: string; x: string; y: string; at2x: boolean };

const TILE_FILE = /^(.*?)(@2x)?\.png$/;

export const TILE_ROUTES: readonly Route<TileRoute>[] = [
  {
    name: "/health",
    methods: READ,
    gatewayPaths: ["/health"],
    match: (s) => (exactPath("health")(s) ? { kind: "health" } : undefined),
  },
  {
    name: "/meta",
    methods: READ,
    gatewayPaths: ["/meta"],
    match: (s) => (exactPath("meta")(s) ? { kind: "meta" } : undefined),
  },
  {
    name: "/point",
    methods: READ,
    gatewayPaths: ["/point"],
    match: (s) => (exactPath("point")(s) ? { kind: "point" } : undefined),
  },
  {
    name: "/tiles/{renderVersion}/{palette}/{z}/{x}/{y}.png",
    methods: READ,
    gatewayPaths: ["/tiles/{proxy+}"],
    match: (segments) => {
      if (segments.length !== 6 || segments[0] !== "tiles") return undefined;
      const file = TILE_FILE.exec(segments[5]);
      if (!file) return undefined;
      const [, version, palette, z, x] = segments;
      return { kind: "tile", version, palette, z, x, y: file[1], at2x: file[2] === "@2x" };
    },
  },
];

export type ImageFormat = "png" | "jpeg" | "webp";

/** File extensions of `/render.{ext}` and the format each one asks for. */
const IMAGE_EXTENSIONS: Readonly<Record<string, ImageFormat>> = { png: "png", jpg: "jpeg", jpeg: "jpeg", webp: "webp" };

/** `render.png` → "png"; undefined when the path segment is not an image route. */
export function imageFormatOf(segment: string): ImageFormat | undefined {
  const match = /^render\.([a-z]+)$/.exec(segment);
  return match && Object.hasOwn(IMAGE_EXTENSIONS, match[1]) ? IMAGE_EXTENSIONS[match[1]] : undefined;
}

export const IMAGE_ROUTES: readonly Route<{ format: ImageFormat }>[] = [
  {
    name: "/render.{png,jpg,webp}",
    methods: READ,
    gatewayPaths: Object.keys(IMAGE_EXTENSIONS).map((extension) => `/render.${extension}`),
    match: (segments) => {
      const format = segments.length === 1 ? imageFormatOf(segments[0]) : undefined;
      return format ? { format } : undefined;
    },
  },
];

/** `/render.{format}` with the view's query; `{format}` is an extension of the image route. */
export const IMAGE_URL_TEMPLATE =
  "/render.{format}?re={re}&im={im}&zoom={zoom}&width={width}&height={height}&palette={palette}";

export type ExportRoute = { kind: "submit" } | { kind: "status"; id: string };

export const EXPORT_ROUTES: readonly Route<ExportRoute>[] = [
  {
    name: "/exports",
    methods: ["POST"],
    gatewayPaths: ["/exports"],
    match: (s) => (exactPath("exports")(s) ? { kind: "submit" } : undefined),
  },
  {
    name: "/exports/{id}",
    methods: READ,
    gatewayPaths: ["/exports/{id}"],
    match: (s) => (s.length === 2 && s[0] === "exports" && s[1] !== "" ? { kind: "status", id: s[1] } : undefined),
  },
];

/** Where a job's status is read; `POST /exports` answers with it. */
export const EXPORT_STATUS_URL_TEMPLATE = "/exports/{id}";

export const API_ROUTES: { readonly [F in ApiFunction]: readonly Route<unknown>[] } = {
  tiles: TILE_ROUTES,
  image: IMAGE_ROUTES,
  exports: EXPORT_ROUTES,
};

/** Answers what no route claims, so unknown paths get the API's JSON 404/405 too. */
export const FALLBACK_FUNCTION: ApiFunction = "tiles";

/** The function whose route claims these segments (any method), or undefined. */
export function functionOfPath(segments: readonly string[]): ApiFunction | undefined {
  for (const fn of Object.keys(API_ROUTES) as ApiFunction[]) {
    if (API_ROUTES[fn].some((route) => route.match(segments) !== undefined)) return fn;
  }
  return undefined;
}

/** API Gateway route keys (`METHOD /path`) and the function each one invokes. */
export function gatewayRoutes(): { routeKey: string; fn: ApiFunction }[] {
  return (Object.keys(API_ROUTES) as ApiFunction[]).flatMap((fn) =>
    API_ROUTES[fn].flatMap((route) =>
      route.methods.flatMap((method) => route.gatewayPaths.map((path) => ({ routeKey: `${method} ${path}`, fn }))),
    ),
  );
}
