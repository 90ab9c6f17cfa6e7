import type L from "leaflet";
import type { ExportLimits } from "../api";
import { zoomRequest } from "../zoom-export";
import type { ViewState } from "../view-state";
import { bindExportJob, type ExportJobElements } from "./export-job";
import { chosenFormat, fillFormatChoice } from "./format-choice";

export interface ExportZoomElements extends ExportJobElements {
  frames: HTMLSelectElement;
  size: HTMLSelectElement;
  /** Each frame's file format in the zip. */
  format: HTMLSelectElement;
}

/**
 * "Export zoom": a zip of numbered frames zooming from the whole set into the current view, at
 * the chosen frame count and frame size, as a job. Frame counts above the server's limit are
 * dropped from the choice.
 */
export function bindExportZoom(
  map: L.Map,
  apiBase: string,
  limits: ExportLimits,
  currentView: () => ViewState,
  elements: ExportZoomElements,
): void {
  const { frames, size, format } = elements;
  for (const option of [...frames.options]) if (Number(option.value) > limits.maxFrames) option.remove();
  fillFormatChoice(format, limits.formats ?? ["png"]);
  bindExportJob(apiBase, elements, () => {
    const viewport = map.getSize();
    const view = currentView();
    const { plan, body } = zoomRequest(
      view,
      { width: viewport.x, height: viewport.y },
      Number(size.value),
      Number(frames.value),
      limits,
      chosenFormat(format),
    );
    const { width, height } = plan.size;
    return {
      body,
      label: `${body.frames} ${format.selectedOptions[0]?.textContent ?? body.format} frames of ${width} × ${height}`,
      remark: `zoom ${body.fromZoom.toFixed(1)} → ${body.toZoom.toFixed(1)}${plan.limited ? ", server limit at this depth" : ""}`,
      fileStem: `fractile-${view.palette}-zoom${body.toZoom.toFixed(2)}-${width}x${height}-${body.frames}frames`,
    };
  });
  frames.disabled = false;
  size.disabled = false;
  format.disabled = false;
}
