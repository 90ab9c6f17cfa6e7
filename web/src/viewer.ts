// Puts the pieces together once /meta is known: the map on the complex-plane
// CRS, the fractal tiles, the URL that follows the view, and the controls.

import L from "leaflet";
import type { Meta } from "./api";
import { DeepMap, originTileCrs } from "./deep-map";
import { FractalTiles } from "./fractal-tiles";
import { viewerMaxZoom } from "./viewer-limits";
import type { Banner } from "./ui/banner";
import { bindPalettePicker } from "./ui/palette-picker";
import { bindGoTo, type GoToElements } from "./ui/go-to";
import { bindInspection } from "./ui/inspect";
import { bindReadouts } from "./ui/readouts";
import { bindSaveImage, type SaveImageElements } from "./ui/save-image";
import { bindExportPoster, type ExportPosterElements } from "./ui/export-poster";
import { bindExportZoom, type ExportZoomElements } from "./ui/export-zoom";
import {
  formatViewHash,
  historyAction,
  parseViewHash,
  type ParsedView,
  type ViewLimits,
  type ViewState,
} from "./view-state";

export interface ViewerElements {
  map: HTMLElement;
  palette: HTMLSelectElement;
  zoom: HTMLOutputElement;
  pointer: HTMLOutputElement;
  /** The iteration budget of the tiles on screen (X-Fractile-Iterations). */
  budget: HTMLOutputElement;
  /** GET /point's answer for the last clicked point. */
  point: HTMLOutputElement;
  goTo: GoToElements;
  loading: HTMLElement;
  save: SaveImageElements;
  poster: ExportPosterElements;
  zoomExport: ExportZoomElements;
  banner: Banner;
}

export function startViewer(apiBase: string, meta: Meta, ui: ViewerElements): L.Map {
  const limits: ViewLimits = {
    minZoom: meta.minZoom,
    maxZoom: viewerMaxZoom(meta.maxZoom),
    palettes: meta.palettes,
    // An older server without the field renders only float64 depths, where 32 characters say everything.
    maxCoordinateChars: meta.imageLimits.maxCoordinateChars ?? 32,
  };
  const initial = parseViewHash(location.hash, limits);

  const map = L.map(ui.map, {
    crs: originTileCrs,
    // Quarter steps keep wheel and pinch zoom smooth while every zoom stays
    // exactly representable in the URL (z=10.25), so a permalink is exact.
    zoomSnap: 0.25,
    zoomDelta: 1,
    wheelPxPerZoomLevel: 120,
    // DeepMap keeps some slack around the grid (while its origin is the whole grid).
    maxBoundsViscosity: 1,
    attributionControl: false,
  });
  // Zoom limits and bounds follow the exact origin: DeepMap owns them.
  const deep = new DeepMap(map, limits);

  const loadedListeners: (() => void)[] = [];
  const tiles = new FractalTiles(
    map,
    meta,
    apiBase,
    initial.palette ?? meta.defaultPalette,
    {
      onBusyChange(busy) {
        ui.map.setAttribute("aria-busy", String(busy));
        ui.loading.hidden = !busy;
        if (!busy) for (const listener of loadedListeners) listener();
      },
      onError(message) {
        if (message === undefined) ui.banner.hide();
        else ui.banner.show(message, () => tiles.retry());
      },
    },
    () => deep.origin,
  );
  deep.onShift({
    beforeReanchor: () => tiles.beforeReanchor(),
    shifted(inPlace) {
      tiles.reanchored(inPlace);
      // Says which grid zoom Leaflet's zoom 0 is now (tests read it to see a re-anchor happen).
      ui.map.dataset.originZoom = String(deep.origin.zoom);
    },
  });

  const currentView = (): ViewState => {
    const exact = deep.centreDecimal();
    return { re: Number(exact.re), im: Number(exact.im), exact, zoom: deep.zoom(), palette: tiles.currentPalette };
  };

  const showView = (view: ParsedView) => {
    if (view.exact && view.zoom !== undefined && deep.showExact(view.exact, view.zoom)) return;
    deep.showSet();
  };

  const recordView = (mode: "auto" | "replace" = "auto") => {
    const next = currentView();
    const hash = formatViewHash(next);
    if (hash === location.hash) return;
    const action = mode === "replace" ? "replace" : historyAction(parseViewHash(location.hash, limits), next);
    if (action === "push") history.pushState(null, "", hash);
    else history.replaceState(null, "", hash);
  };

  const picker = bindPalettePicker(ui.palette, meta.palettes, tiles.currentPalette, (palette) => {
    tiles.setPalette(palette);
    recordView();
    updateSaveLink();
  });

  showView(initial);
  bindReadouts(deep, ui.zoom, ui.pointer);
  bindGoTo(ui.goTo, limits, (view) => showView(view));
  bindInspection(
    deep,
    apiBase,
    () => tiles.tileUrlTemplate,
    () => tiles.currentPalette,
    (listener) => loadedListeners.push(listener),
    { budget: ui.budget, point: ui.point },
  );
  const updateSaveLink = bindSaveImage(map, apiBase, meta.imageLimits, currentView, ui.save);
  // Servers without exports (an older API) leave the section disabled.
  if (meta.exportLimits) {
    bindExportPoster(map, apiBase, meta.exportLimits, currentView, ui.poster);
    bindExportZoom(map, apiBase, meta.exportLimits, currentView, ui.zoomExport);
  }
  recordView("replace");
  map.on("moveend", () => recordView());
  // Says when a pan or zoom (drag inertia included) has come to rest: one moveend ends each move.
  map.on("movestart", () => ui.map.setAttribute("data-moving", "true"));
  map.on("moveend", () => ui.map.setAttribute("data-moving", "false"));

  // Back/Forward (and an edited fragment) move the map to the entry's view;
  // the moveend that follows finds the URL already matching and records nothing.
  window.addEventListener("popstate", () => {
    const target = parseViewHash(location.hash, limits);
    if (target.palette) {
      tiles.setPalette(target.palette);
      picker.show(target.palette);
    }
    if (target.center && target.zoom !== undefined) showView(target);
    recordView("replace");
    updateSaveLink();
  });

  return map;
}
