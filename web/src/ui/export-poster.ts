import type L from "leaflet";
import type { ExportLimits } from "../api";
import { FORMAT_LABELS } from "../image-export";
import { alignToTiles, formatLimitRemark, posterPresetLabel, posterRequest } from "../poster-export";
import type { ViewState } from "../view-state";
import { bindExportJob, type ExportJobElements } from "./export-job";
import { chosenFormat, fillFormatChoice } from "./format-choice";

export interface ExportPosterElements extends ExportJobElements {
  size: HTMLSelectElement;
  /** The poster's file format, of those the server writes (exportLimits.formats). */
  format: HTMLSelectElement;
  /** "Line up with the tiles": the nearest poster made of the map's own tiles (alignToTiles). */
  align: HTMLInputElement;
}

/**
 * "Export poster": the current view at the chosen poster size and format, as a job. A preset the
 * chosen format cannot hold (webp's 16383 px a side) says in its label what it shrinks to.
 */
export function bindExportPoster(
  map: L.Map,
  apiBase: string,
  limits: ExportLimits,
  currentView: () => ViewState,
  elements: ExportPosterElements,
): void {
  const { size, format, align } = elements;
  fillFormatChoice(format, limits.formats ?? ["png"]);
  const viewportSize = () => {
    const viewport = map.getSize();
    return { width: viewport.x, height: viewport.y };
  };
  const labelPresets = () => {
    const chosen = chosenFormat(format);
    for (const option of size.options) {
      const { text, title } = posterPresetLabel(Number(option.value), viewportSize(), limits, chosen);
      option.textContent = text;
      option.title = title;
    }
  };
  format.addEventListener("change", labelPresets);
  map.on("resize", labelPresets);
  labelPresets();

  bindExportJob(apiBase, elements, () => {
    const view = currentView();
    const chosen = chosenFormat(format);
    const {
      plan,
      formatLimited,
      body: framed,
    } = posterRequest(view, viewportSize(), Number(size.value), limits, chosen);
    const { width, height } = plan.size;
    const aligned = align.checked ? alignToTiles(framed) : undefined;
    const body = aligned ?? framed;
    const remarks = [
      formatLimited ? formatLimitRemark(limits, chosen) : undefined,
      plan.limited ? "server limit at this depth" : undefined,
      align.checked
        ? aligned
          ? `lined up with the tiles at zoom ${aligned.zoom}`
          : "too large to line up with the tiles here"
        : undefined,
    ].filter((r) => r !== undefined);
    return {
      body,
      label: `${width} × ${height} ${FORMAT_LABELS[chosen]}`,
      remark: remarks.length > 0 ? remarks.join("; ") : undefined,
      fileStem: `fractile-${view.palette}-z${body.zoom.toFixed(2)}-${width}x${height}`,
    };
  });
  size.disabled = false;
  format.disabled = false;
  align.disabled = false;
}
