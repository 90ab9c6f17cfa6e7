// "Export poster": a queued job (POST /exports, docs/exports.md) for the current view at a
// poster size, the framing of "save image" (same centre, everything visible stays visible),
// shrunk to the server's published export limits like the image link is to /render's.

import { apiErrorFrom, apiUrl, type ImageLimits } from "./api";
import { planImage, type ImagePlan, type Size } from "./image-export";
import { formatCoordinate, trimDecimal } from "./plane";
import type { ViewState } from "./view-state";

/** Long side of the poster presets. */
export const POSTER_SIDES = [4096, 8192, 16384] as const;

/** The poster's size: `side` on the viewport's longer axis, the other side in proportion. */
export function posterSize(side: number, viewport: Size): Size {
  const wide = viewport.width >= viewport.height;
  const short = Math.max(
    1,
    Math.round((side * Math.min(viewport.width, viewport.height)) / Math.max(viewport.width, viewport.height)),
  );
  return wide ? { width: side, height: short } : { width: short, height: side };
}

export interface PosterRequest {
  plan: ImagePlan;
  body: { re: string; im: string; zoom: number; width: number; height: number; palette: string };
}

export function posterRequest(view: ViewState, viewport: Size, side: number, limits: ImageLimits): PosterRequest {
  const plan = planImage(view.zoom, viewport, posterSize(side, viewport), limits);
  return {
    plan,
    body: {
      re: view.exact?.re ?? formatCoordinate(view.re, plan.zoom),
      im: view.exact?.im ?? formatCoordinate(view.im, plan.zoom),
      zoom: Number(trimDecimal(plan.zoom.toFixed(6))),
      width: plan.size.width,
      height: plan.size.height,
      palette: view.palette,
    },
  };
}

export interface ExportStatus {
  id: string;
  status: "queued" | "running" | "done" | "failed";
  progress: number;
  url?: string;
  error?: string;
}

export interface ExportClient {
  fetch: typeof fetch;
  sleep: (ms: number) => Promise<void>;
}

/** Submits the job and polls its status until it is done or failed, reporting each status. */
export async function runPosterExport(
  apiBase: string,
  body: PosterRequest["body"],
  onStatus: (status: ExportStatus) => void,
  client: ExportClient = { fetch: (...args) => fetch(...args), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) },
  pollMs = 1000,
): Promise<ExportStatus> {
  const created = await client.fetch(apiUrl(apiBase, "/exports"), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (created.status !== 202) throw await apiErrorFrom(created);
  const { statusUrl } = (await created.json()) as { statusUrl: string };
  for (;;) {
    const response = await client.fetch(apiUrl(apiBase, statusUrl), { cache: "no-store" });
    if (!response.ok) throw await apiErrorFrom(response);
    const status = (await response.json()) as ExportStatus;
    onStatus(status);
    if (status.status === "done" || status.status === "failed") return status;
    await client.sleep(pollMs);
  }
}
