/**
 * Lambda entry point of the export worker: SQS batches of part messages (export-worker.ts in lib).
 * It never enqueues: submitting is the exports API's job.
 */
import { renderViewIndices, warmUp } from "../packages/render/index";
import { createExportJobs } from "./lib/export-jobs";
import { exportObjectsFromEnv } from "./lib/export-env";
import { encodeWebpPoster } from "./lib/export-webp";
import { createExportWorker } from "./lib/export-worker";
import { createTelemetry } from "./lib/observability";

const telemetry = createTelemetry({ defaultServiceName: "fractile-export-worker" });

warmUp();

const jobs = createExportJobs({
  objects: exportObjectsFromEnv(),
  enqueue: async () => {
    throw new Error("the export worker does not submit jobs");
  },
  renderIndices: renderViewIndices,
  encodeWebp: encodeWebpPoster,
});

export const handler = createExportWorker({ jobs, telemetry });
