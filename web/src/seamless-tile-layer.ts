// A tile layer without seams at fractional zoom.
//
// At zoom 2.25 Leaflet shows the zoom-2 tiles with their level scaled by
// 2^0.25, so tile edges fall between device pixels. The browser draws each
// tile's edge pixel partly covered, and the two partial pixels of neighbouring
// tiles do not add up to one opaque pixel: the map's background shows through
// as a darker line, or (with the `mix-blend-mode: plus-lighter` Leaflet 1.9.4
// puts on tiles) an overlap is added twice as a brighter one. Leaflet issue
// #3575 collects the workarounds: oversizing tiles (256.5 px) or adding an
// overlap stretches every tile and, under plus-lighter, turns the overlap into
// a bright line; drawing all tiles into one canvas (Leaflet.TileLayer.NoGap)
// replaces Leaflet's tile handling.
//
// Here each tile is instead placed so that both its edges fall on whole device
// pixels: its corners are rounded to the nearest device pixel and the tile is
// scaled to fill exactly that box. Neighbours then share an edge exactly, so
// no pixel is partly covered and none twice. Each tile is off its exact place
// by at most half a device pixel and stretched by under one pixel over its
// ~300, which is below what the browser's own resampling of a scaled tile
// shows; the tile's pixels are resampled once, as before, so nothing blurs.
//
// It hooks into three methods of Leaflet 1.9's GridLayer (pinned in
// package.json): where a level gets its scale (_setZoomTransform), where a
// tile is placed (_addTile), and the end of a pan (_onMoveEnd).

import L from "leaflet";

interface Level {
  el: HTMLElement;
  origin: L.Point;
  zoom: number;
  /** The translate and scale Leaflet last gave the level's container. */
  seamless?: { translate: L.Point; scale: number };
}

interface Tile {
  el: HTMLElement;
  coords: L.Coords;
}

/** The GridLayer internals used here (Leaflet 1.9). */
interface GridInternals {
  _map: L.Map & { _getNewPixelOrigin(center: L.LatLng, zoom: number): L.Point };
  _levels: Record<string, Level>;
  _tiles: Record<string, Tile>;
  _tileCoordsToKey(coords: L.Coords): string;
  getTileSize(): L.Point;
}

interface GridMethods {
  _setZoomTransform(this: GridInternals, level: Level, center: L.LatLng, zoom: number): void;
  _addTile(this: GridInternals, coords: L.Coords, container: HTMLElement): void;
  _onMoveEnd(this: GridInternals): void;
}

const base = L.TileLayer.prototype as unknown as GridMethods;

/** Moves and scales one tile so its box in the viewport has whole-device-pixel edges. */
function snapTile(layer: GridInternals, level: Level, tile: Tile, viewportOrigin: L.Point): void {
  if (!level.seamless) return;
  const { translate, scale } = level.seamless;
  const size = layer.getTileSize();
  // Where Leaflet puts the tile inside its level, and where the level is on screen.
  const local = L.point(tile.coords.x * size.x, tile.coords.y * size.y).subtract(level.origin);
  const offset = viewportOrigin.add(L.DomUtil.getPosition(layer._map.getPane("mapPane")!)).add(translate);
  const ratio = window.devicePixelRatio || 1;
  const toDevicePixel = (cssPx: number) => Math.round(cssPx * ratio) / ratio;
  const left = toDevicePixel(offset.x + scale * local.x);
  const top = toDevicePixel(offset.y + scale * local.y);
  const right = toDevicePixel(offset.x + scale * (local.x + size.x));
  const bottom = toDevicePixel(offset.y + scale * (local.y + size.y));
  // Back in the level's unscaled coordinates, as a transform: layout would round sizes to 1/64 px.
  const x = (left - offset.x) / scale;
  const y = (top - offset.y) / scale;
  const sx = (right - left) / (scale * size.x);
  const sy = (bottom - top) / (scale * size.y);
  tile.el.style.transformOrigin = "0 0";
  tile.el.style.transform = `translate3d(${x}px, ${y}px, 0) scale(${sx}, ${sy})`;
}

function viewportOriginOf(layer: GridInternals): L.Point {
  const box = layer._map.getContainer().getBoundingClientRect();
  return L.point(box.left, box.top);
}

function snapLevel(layer: GridInternals, level: Level, viewportOrigin = viewportOriginOf(layer)): void {
  for (const tile of Object.values(layer._tiles)) {
    if (tile.coords.z === level.zoom) snapTile(layer, level, tile, viewportOrigin);
  }
}

const seamlessMethods: GridMethods = {
  _setZoomTransform(level, center, zoom) {
    base._setZoomTransform.call(this, level, center, zoom);
    if (!this._map) return;
    // The same numbers Leaflet just used for the level's transform.
    const scale = this._map.getZoomScale(zoom, level.zoom);
    const translate = level.origin.multiplyBy(scale).subtract(this._map._getNewPixelOrigin(center, zoom)).round();
    level.seamless = { translate, scale };
    snapLevel(this, level);
  },

  _addTile(coords, container) {
    base._addTile.call(this, coords, container);
    if (!this._map) return;
    const level = this._levels[coords.z];
    const tile = this._tiles[this._tileCoordsToKey(coords)];
    if (level && tile) snapTile(this, level, tile, viewportOriginOf(this));
  },

  _onMoveEnd() {
    base._onMoveEnd.call(this);
    // A layer removed while the event was being dispatched (a palette swap retiring the old
    // layer) still gets this call, with no map any more.
    if (!this._map) return;
    // A pan by a fraction of a device pixel (high-DPI screens) would undo the alignment.
    const viewportOrigin = viewportOriginOf(this);
    for (const level of Object.values(this._levels)) snapLevel(this, level, viewportOrigin);
  },
};

/** L.TileLayer with whole-pixel tile edges; extend it as you would L.TileLayer. */
export const SeamlessTileLayer = L.TileLayer.extend(seamlessMethods) as unknown as typeof L.TileLayer;
