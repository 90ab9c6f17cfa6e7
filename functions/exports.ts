/**
 * Lambda entry point of the exports API (`POST /exports`, `GET /exports/{id}`): records jobs in
 * the bucket and puts their parts on the queue; it renders nothing itself.
 */
import { renderViewIndices } from "../packages/render/index";
import { createExportJobs } from "./lib/export-jobs";
import { exportObjectsFromEnv, sqsEnqueue } from "./lib/export-env";
import { createExportsHandler } from "./lib/exports-handler";
import { createTelemetry } from "./lib/observability";

const telemetry = createTelemetry({ defaultServiceName: "fractile-exports" });
const queueUrl = process.env.EXPORT_QUEUE_URL;
if (!queueUrl) throw new Error("EXPORT_QUEUE_URL must name the export queue");

const jobs = createExportJobs({
  objects: exportObjectsFromEnv(),
  enqueue: sqsEnqueue(queueUrl),
  renderIndices: renderViewIndices,
});

export const handler = createExportsHandler({ jobs, telemetry });
