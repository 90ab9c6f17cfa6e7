import type L from "leaflet";
import type { ImageLimits } from "../api";
import { alignToTiles, posterRequest } from "../poster-export";
import type { ViewState } from "../view-state";
import { bindExportJob, type ExportJobElements } from "./export-job";

export interface ExportPosterElements extends ExportJobElements {
  size: HTMLSelectElement;
  /** "Line up with the tiles": the nearest poster made of the map's own tiles (alignToTiles). */
  align: HTMLInputElement;
}

/** "Export poster": the current view at the chosen poster size, as a job. */
export function bindExportPoster(
  map: L.Map,
  apiBase: string,
  limits: ImageLimits,
  currentView: () => ViewState,
  elements: ExportPosterElements,
): void {
  const { size, align } = elements;
  bindExportJob(apiBase, elements, () => {
    const viewport = map.getSize();
    const view = currentView();
    const { plan, body: framed } = posterRequest(
      view,
      { width: viewport.x, height: viewport.y },
      Number(size.value),
      limits,
    );
    const { width, height } = plan.size;
    const aligned = align.checked ? alignToTiles(framed) : undefined;
    const body = aligned ?? framed;
    const remarks = [
      plan.limited ? "server limit at this depth" : undefined,
      align.checked
        ? aligned
          ? `lined up with the tiles at zoom ${aligned.zoom}`
          : "too large to line up with the tiles here"
        : undefined,
    ].filter((r) => r !== undefined);
    return {
      body,
      label: `${width} × ${height}`,
      remark: remarks.length > 0 ? remarks.join("; ") : undefined,
      fileStem: `fractile-${view.palette}-z${body.zoom.toFixed(2)}-${width}x${height}`,
    };
  });
  size.disabled = false;
  align.disabled = false;
}
