/**
 * `npm run prefill -- --max-zoom N [--min-zoom M] [--palette P] [--scale 2]`
 *
 * Renders a zoom range into the tile cache the server uses (disk by default,
 * S3 when TILE_BUCKET is set), skipping tiles already there, on every core
 * (the local server's render pool).
 */
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { SingleBar, Presets } from "cli-progress";
import { DEFAULT_PALETTE, MAX_ZOOM, PALETTES, RENDER_VERSION, type TileScale } from "../packages/render/index";
import { createTelemetry, storeFaultReporter } from "../functions/lib/observability";
import { prefillTiles, tileCount } from "../functions/lib/prefill";
import { storeFromEnv } from "../functions/lib/store-from-env";
import type { TileStore } from "../packages/cache/index";
import { createRenderPool, type RenderPool } from "./local/render-pool";

/** More than this many tiles is almost certainly a typo (z12 alone is 16.7 M tiles). */
const MAX_TILES = 1_500_000;

const USAGE = `usage: npm run prefill -- --max-zoom N [--min-zoom M] [--palette ${PALETTES.join("|")}] [--scale 1|2]
  Renders every tile of zooms M..N (default M = 0) into the tile cache
  (TILE_CACHE_DIR, default .cache/tiles; S3 when TILE_BUCKET is set).`;

export interface PrefillArgs {
  minZoom: number;
  maxZoom: number;
  palette: string;
  scale: TileScale;
}

export class UsageError extends Error {}

function readArgs(argv: string[]) {
  return parseArgs({
    args: argv,
    options: {
      "max-zoom": { type: "string" },
      "min-zoom": { type: "string" },
      palette: { type: "string" },
      scale: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
    allowPositionals: false,
  }).values;
}

export function parsePrefillArgs(argv: string[]): PrefillArgs {
  let values: ReturnType<typeof readArgs>;
  try {
    values = readArgs(argv);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) throw new UsageError("");
  const zoom = (name: string, raw: string | undefined, fallback?: number) => {
    if (raw === undefined) {
      if (fallback === undefined) throw new UsageError(`--${name} is required`);
      return fallback;
    }
    if (!/^\d{1,2}$/.test(raw) || Number(raw) > MAX_ZOOM)
      throw new UsageError(`--${name} must be a whole number from 0 to ${MAX_ZOOM}, got ${JSON.stringify(raw)}`);
    return Number(raw);
  };
  const maxZoom = zoom("max-zoom", values["max-zoom"]);
  const minZoom = zoom("min-zoom", values["min-zoom"], 0);
  if (minZoom > maxZoom) throw new UsageError(`--min-zoom (${minZoom}) must not exceed --max-zoom (${maxZoom})`);
  const palette = values.palette ?? DEFAULT_PALETTE;
  if (!PALETTES.includes(palette))
    throw new UsageError(`--palette must be one of ${PALETTES.join(", ")}, got ${JSON.stringify(palette)}`);
  const scaleRaw = values.scale ?? "1";
  if (scaleRaw !== "1" && scaleRaw !== "2")
    throw new UsageError(`--scale must be 1 or 2, got ${JSON.stringify(scaleRaw)}`);
  const count = tileCount(minZoom, maxZoom);
  if (count > MAX_TILES)
    throw new UsageError(
      `zooms ${minZoom}..${maxZoom} are ${count} tiles, over the limit of ${MAX_TILES}; lower --max-zoom`,
    );
  return { minZoom, maxZoom, palette, scale: Number(scaleRaw) as TileScale };
}

async function main(): Promise<void> {
  let args: PrefillArgs;
  try {
    args = parsePrefillArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    if (error.message) console.error(`prefill: ${error.message}`);
    console.error(USAGE);
    process.exit(2);
  }
  const telemetry = createTelemetry({ defaultServiceName: "fractile-prefill", logLevel: "ERROR" });
  const store = storeFromEnv(storeFaultReporter(telemetry));
  const pool = createRenderPool();
  try {
    await pool.ready();
    await prefillWithProgress(args, store, pool);
  } finally {
    await pool.close();
  }
}

async function prefillWithProgress(args: PrefillArgs, store: TileStore, pool: RenderPool): Promise<void> {
  const total = tileCount(args.minZoom, args.maxZoom);
  const bar = new SingleBar(
    {
      format: "prefill {bar} {value}/{total} tiles | {rendered} rendered, {present} present | {eta_formatted} left",
      hideCursor: true,
    },
    Presets.shades_classic,
  );
  bar.start(total, 0, { rendered: 0, present: 0 });
  let rendered = 0;
  let present = 0;
  const started = performance.now();
  await prefillTiles({
    store,
    renderVersion: RENDER_VERSION,
    render: pool.renderTile,
    // Two tiles per worker, so each has its next tile while the store writes the last one.
    concurrency: 2 * pool.threads,
    palette: args.palette,
    minZoom: args.minZoom,
    maxZoom: args.maxZoom,
    scale: args.scale,
    onTile: ({ rendered: wasRendered }) => {
      if (wasRendered) rendered++;
      else present++;
      bar.increment(1, { rendered, present });
    },
  });
  bar.stop();
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `prefill: ${rendered} rendered, ${present} already present (render version ${RENDER_VERSION}, palette ${args.palette}, ` +
      `@${args.scale}x, z${args.minZoom}–${args.maxZoom}) in ${seconds.toFixed(1)} s`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().catch((error: unknown) => {
    console.error(`prefill failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
