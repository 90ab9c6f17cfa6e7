// What the map shows while it re-anchors (deep-map.ts). A re-anchor re-keys
// every tile: Leaflet's tile (L, x, y) names another grid tile under the new
// origin, so the tile layer is reloaded and its old tiles, addressed in the
// old frame, cannot stay. Without a stand-in the map would be bare until the
// new tiles arrive (deep tiles take a second or more to render). So, as a
// map library's zoom animation keeps the old level scaled in place, the tiles
// on screen are drawn into one canvas just before the re-anchor; after it the
// canvas is laid under the tiles over the same view (the view does not move
// in a re-anchor) and follows later pans and zooms as an image overlay until
// the reloaded layer's tiles have loaded and faded in.

import L from "leaflet";

/** Below the tile pane (z-index 200), above the map's background. */
const PANE = "reanchorPlaceholder";
const PANE_Z_INDEX = "150";
/** Marks the canvas, so it can be found (and tests can see when it is gone). */
export const PLACEHOLDER_CLASS = "fractile-reanchor-placeholder";

/** An image overlay whose image is a canvas drawn here (as L.SVGOverlay takes an SVG element). */
const CanvasOverlay = L.ImageOverlay.extend({
  _initImage(this: { _image: HTMLElement; _url: unknown; _zoomAnimated: boolean }) {
    const canvas = this._url as HTMLCanvasElement;
    this._image = canvas;
    L.DomUtil.addClass(canvas, "leaflet-image-layer");
    L.DomUtil.addClass(canvas, PLACEHOLDER_CLASS);
    if (this._zoomAnimated) L.DomUtil.addClass(canvas, "leaflet-zoom-animated");
  },
}) as unknown as new (
  canvas: HTMLCanvasElement,
  bounds: L.LatLngBounds,
  options: L.ImageOverlayOptions,
) => L.ImageOverlay;

export class ReanchorPlaceholder {
  private held: HTMLCanvasElement | undefined;
  private shown: { overlay: L.ImageOverlay; canvas: HTMLCanvasElement } | undefined;

  constructor(private readonly map: L.Map) {
    if (!map.getPane(PANE)) map.createPane(PANE).style.zIndex = PANE_Z_INDEX;
  }

  /** Just before a re-anchor: draws what the map shows (tiles over any earlier placeholder). */
  hold(): void {
    this.held = drawMap(this.map, this.shown?.canvas);
  }

  /** Just after the re-anchor: lays the held drawing over the (unmoved) view, under the reloaded tiles. */
  show(): void {
    const canvas = this.held;
    this.held = undefined;
    this.clear();
    if (!canvas) return;
    const overlay = new CanvasOverlay(canvas, this.map.getBounds(), { pane: PANE, interactive: false });
    overlay.addTo(this.map);
    this.shown = { overlay, canvas };
  }

  /** The tiles it stood in for are there (or the view jumped elsewhere): gone. */
  clear(): void {
    this.held = undefined;
    this.shown?.overlay.remove();
    this.shown = undefined;
  }

  get showing(): boolean {
    return this.shown !== undefined;
  }
}

/**
 * The map's loaded tiles as they are on screen, in one canvas the size of the
 * map (device pixels): each layer in order, each layer's levels from the back
 * (Leaflet gives the current level the highest z-index), each tile at its
 * on-screen box, which includes every CSS transform (zoom, seamless snapping).
 */
function drawMap(map: L.Map, under?: HTMLCanvasElement): HTMLCanvasElement {
  const container = map.getContainer();
  const box = container.getBoundingClientRect();
  const ratio = window.devicePixelRatio || 1;
  const canvas = document.createElement("canvas");
  canvas.width = Math.max(1, Math.round(box.width * ratio));
  canvas.height = Math.max(1, Math.round(box.height * ratio));
  const context = canvas.getContext("2d");
  if (!context) return canvas;
  context.scale(ratio, ratio);
  const draw = (element: CanvasImageSource & Element) => {
    const rect = element.getBoundingClientRect();
    context.drawImage(element, rect.left - box.left, rect.top - box.top, rect.width, rect.height);
  };
  if (under?.isConnected) draw(under);
  const tilePane = map.getPane("tilePane");
  for (const layer of tilePane ? [...tilePane.children] : []) {
    const levels = [...layer.children].sort((a, b) => zIndexOf(a) - zIndexOf(b));
    for (const level of levels) {
      for (const tile of level.querySelectorAll<HTMLImageElement>("img.leaflet-tile-loaded")) {
        if (tile.complete && tile.naturalWidth > 0) draw(tile);
      }
    }
  }
  return canvas;
}

function zIndexOf(element: Element): number {
  return Number((element as HTMLElement).style.zIndex) || 0;
}
