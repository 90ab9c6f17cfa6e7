import type L from "leaflet";
import { IMAGE_FORMATS, imageFileName, planImage, renderImageUrl, type Size } from "../image-export";
import type { ImageLimits } from "../api";
import type { ViewState } from "../view-state";
import { chosenFormat, fillFormatChoice } from "./format-choice";

export interface SaveImageElements {
  size: HTMLSelectElement;
  format: HTMLSelectElement;
  link: HTMLAnchorElement;
  /** Says when the server's limits shrink the image at this depth. */
  note: HTMLOutputElement;
}

/**
 * The "save image" link points at /render.{format} for the current view; it is
 * kept up to date rather than computed on click so it also works as a plain
 * link (middle click, copy link address, keyboard).
 */
export function bindSaveImage(
  map: L.Map,
  apiBase: string,
  limits: ImageLimits,
  currentView: () => ViewState,
  elements: SaveImageElements,
): () => void {
  const { size, format, link, note } = elements;
  fillFormatChoice(format, IMAGE_FORMATS); // /render takes each of them
  const windowOption = [...size.options].find((option) => option.value === "window");

  const windowSize = (): Size => {
    const { x, y } = map.getSize();
    const ratio = window.devicePixelRatio || 1;
    return { width: Math.round(x * ratio), height: Math.round(y * ratio) };
  };

  const chosenSize = (): Size => {
    if (size.value === "window") return windowSize();
    const [width, height] = size.value.split("x").map(Number);
    return { width, height };
  };

  const update = () => {
    const view = currentView();
    const viewport = map.getSize();
    const plan = planImage(view.zoom, { width: viewport.x, height: viewport.y }, chosenSize(), limits);
    link.href = renderImageUrl(apiBase, view, plan, chosenFormat(format));
    link.download = imageFileName(view, plan.size, chosenFormat(format));
    note.value = plan.limited ? `${plan.size.width} × ${plan.size.height} at this depth (server limit)` : "";
    if (windowOption) {
      const { width, height } = windowSize();
      windowOption.textContent = `Current window (${width} × ${height})`;
    }
  };

  size.addEventListener("change", update);
  format.addEventListener("change", update);
  map.on("moveend resize", update);
  size.disabled = false;
  format.disabled = false;
  link.removeAttribute("aria-disabled");
  update();
  return update;
}
