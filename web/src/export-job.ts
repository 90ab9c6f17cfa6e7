// The client side of an export job (POST /exports, GET /exports/{id}: docs/exports.md), shared
// by "Export poster" and "Export zoom": the centre as the job takes it, submit-and-poll, and the
// name the download is saved under.

import { apiErrorFrom, apiUrl } from "./api";
import { formatCoordinate, trimDecimal } from "./plane";
import type { ViewState } from "./view-state";

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

/** The view's centre as decimal text: exact when the view carries it, else as many digits as `zoom` needs. */
export function exportCentre(view: ViewState, zoom: number): { re: string; im: string } {
  return {
    re: view.exact?.re ?? formatCoordinate(view.re, zoom),
    im: view.exact?.im ?? formatCoordinate(view.im, zoom),
  };
}

/** A zoom as the request carries it: six decimals, like the save-image link. */
export function zoomParameter(zoom: number): number {
  return Number(trimDecimal(zoom.toFixed(6)));
}

/** Submits the job and polls its status until it is done or failed, reporting each status. */
export async function runExport(
  apiBase: string,
  body: object,
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

/**
 * The file name a finished export is saved as: `stem` plus the extension of the stored result
 * (poster.png, poster.zip, …), so the name follows whatever format the server wrote.
 */
export function downloadName(stem: string, url: string): string {
  const extension = /\.([a-z0-9]+)$/i.exec(new URL(url, "http://any.invalid").pathname)?.[1];
  return extension ? `${stem}.${extension.toLowerCase()}` : stem;
}
