import type L from "leaflet";
import type { ImageLimits } from "../api";
import { posterRequest } from "../poster-export";
import type { ViewState } from "../view-state";
import { bindExportJob, type ExportJobElements } from "./export-job";

export interface ExportPosterElements extends ExportJobElements {
  size: HTMLSelectElement;
}

/** "Export poster": the current view at the chosen poster size, as a job. */
export function bindExportPoster(
  map: L.Map,
  apiBase: string,
  limits: ImageLimits,
  currentView: () => ViewState,
  elements: ExportPosterElements,
): void {
  const { size } = elements;
  bindExportJob(apiBase, elements, () => {
    const viewport = map.getSize();
    const view = currentView();
    const { plan, body } = posterRequest(view, { width: viewport.x, height: viewport.y }, Number(size.value), limits);
    const { width, height } = plan.size;
    return {
      body,
      label: `${width} × ${height}`,
      remark: plan.limited ? "server limit at this depth" : undefined,
      fileStem: `fractile-${view.palette}-z${body.zoom.toFixed(2)}-${width}x${height}`,
    };
  });
  size.disabled = false;
}
