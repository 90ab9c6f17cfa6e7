/**
 * Lambda entry point of the export worker: SQS batches of part messages (export-worker.ts in lib).
 * It never enqueues: submitting is the exports API's and the tile function's job.
 */
import { RENDER_VERSION, renderViewIndices, warmUp } from "../packages/render/index";
import { createExportJobs } from "./lib/export-jobs";
import { exportObjectsFromEnv } from "./lib/export-env";
import { encodeWebpPicture } from "./lib/export-webp";
import { createPosterTiles } from "./lib/export-tiles";
import { createExportWorker } from "./lib/export-worker";
import { createTelemetry, storeFaultReporter } from "./lib/observability";
import { storeFromEnv } from "./lib/store-from-env";
import { createReferenceCachingRenderer } from "./lib/tile-renderer";
import { createSlowTileWorker } from "./lib/slow-tiles";

const telemetry = createTelemetry({ defaultServiceName: "fractile-export-worker" });
// The tile function's store and renderer: aligned posters read its tiles and leave theirs to it.
const tileStore = storeFromEnv(storeFaultReporter(telemetry));

warmUp();

// The tile handler's own renderer, orbits cached: its slow tiles are stored as it would store them.
const renderTile = createReferenceCachingRenderer({ store: tileStore, renderVersion: RENDER_VERSION });

const jobs = createExportJobs({
  objects: exportObjectsFromEnv(),
  enqueue: async () => {
    throw new Error("the export worker does not submit jobs");
  },
  renderIndices: renderViewIndices,
  encodeWebp: encodeWebpPicture,
  partFromTiles: createPosterTiles({ store: tileStore, renderTile }),
});

export const handler = createExportWorker({
  jobs,
  telemetry,
  renderSlowTile: createSlowTileWorker({ store: tileStore, renderTile, renderVersion: RENDER_VERSION }),
});
