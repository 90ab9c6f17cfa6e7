import type L from "leaflet";
import type { ImageLimits } from "../api";
import { posterRequest, runPosterExport } from "../poster-export";
import type { ViewState } from "../view-state";

export interface ExportPosterElements {
  size: HTMLSelectElement;
  button: HTMLButtonElement;
  progress: HTMLProgressElement;
  link: HTMLAnchorElement;
  note: HTMLOutputElement;
}

/**
 * "Export poster": submits the current view at the chosen poster size as a job, shows its progress
 * while the queue renders it, then the download link (valid for an hour).
 */
export function bindExportPoster(
  map: L.Map,
  apiBase: string,
  limits: ImageLimits,
  currentView: () => ViewState,
  elements: ExportPosterElements,
): void {
  const { size, button, progress, link, note } = elements;

  button.addEventListener("click", () => {
    const viewport = map.getSize();
    const { plan, body } = posterRequest(
      currentView(),
      { width: viewport.x, height: viewport.y },
      Number(size.value),
      limits,
    );
    button.disabled = true;
    link.hidden = true;
    progress.hidden = false;
    progress.value = 0;
    note.value = `${plan.size.width} × ${plan.size.height}${plan.limited ? " (server limit at this depth)" : ""}: queued`;
    void runPosterExport(apiBase, body, (status) => {
      progress.value = status.progress;
      note.value = `${plan.size.width} × ${plan.size.height}: ${status.status} ${Math.round(status.progress * 100)} %`;
    })
      .then((status) => {
        if (status.status === "done" && status.url) {
          link.href = status.url;
          link.hidden = false;
          note.value = `${plan.size.width} × ${plan.size.height}: done`;
        } else {
          note.value = `Export failed: ${status.error ?? "unknown reason"}`;
        }
      })
      .catch((error: unknown) => {
        note.value = `Export failed: ${error instanceof Error ? error.message : String(error)}`;
      })
      .finally(() => {
        button.disabled = false;
        progress.hidden = true;
      });
  });
  size.disabled = false;
  button.disabled = false;
}
