// Leaflet on top of a movable exact origin (deep-origin.ts): Leaflet's
// zoom-0 world is the origin tile, so its doubles only ever measure positions
// inside a tile a few levels above the view. The map's fractile zoom, centre
// and pointer positions come from here, never from Leaflet's latlngs alone.

import L from "leaflet";
import {
  LOCAL_BITS,
  WHOLE_GRID,
  decimalToGrid,
  gridToDecimal,
  gridToLocal,
  localToGrid,
  originFor,
  reanchor,
  type GridPoint,
  type Origin,
} from "./deep-origin";
import { AREA, TILE_SIZE, coordinateDecimals } from "./plane";
import type { ExactCentre } from "./view-state";

/** CRS.Simple scaled so the origin tile spans lng ∈ [0, 1], lat ∈ [−1, 0] (lat = −v: y grows downwards). */
export const originTileCrs: L.CRS = L.Util.extend({}, L.CRS.Simple, {
  transformation: new L.Transformation(TILE_SIZE, 0, -TILE_SIZE, 0),
});

/** Local bounds of a plane rectangle under the whole-grid origin. */
function wholeGridBounds(reMin: number, imMin: number, reMax: number, imMax: number): L.LatLngBounds {
  const width = AREA.reMax - AREA.reMin;
  const u = (re: number) => (re - AREA.reMin) / width;
  const lat = (im: number) => -(AREA.imMax - im) / width;
  return L.latLngBounds([lat(imMin), u(reMin)], [lat(imMax), u(reMax)]);
}

/** Where the set itself lies, with a margin: the default view fits this. */
const SET_BOUNDS = wholeGridBounds(-2.1, -1.25, 0.6, 1.25);
const GRID_BOUNDS = wholeGridBounds(AREA.reMin, AREA.imMin, AREA.reMax, AREA.imMax);

export interface ShiftListener {
  /** A re-anchor is about to move the origin under the unmoved view: Leaflet still shows the old frame. */
  beforeReanchor?(): void;
  /**
   * The origin moved and Leaflet was set to the view under it. inPlace: a re-anchor (the view on
   * screen is the same); else the map jumped (go to, the whole set, a permalink).
   */
  shifted(inPlace: boolean): void;
}

export class DeepMap {
  private current: Origin = WHOLE_GRID;
  private shifting = false;
  private readonly shiftListeners: ShiftListener[] = [];

  constructor(
    readonly map: L.Map,
    private readonly limits: { minZoom: number; maxZoom: number },
  ) {
    this.applyLimits();
    map.on("zoomend", () => this.keepInBand());
  }

  get origin(): Origin {
    return this.current;
  }

  /** Told when the origin moves (tiles must be re-keyed), and before a re-anchor. */
  onShift(listener: ShiftListener): void {
    this.shiftListeners.push(listener);
  }

  /** The fractile zoom on screen. */
  zoom(): number {
    return this.current.zoom + this.map.getZoom();
  }

  toGrid(latlng: L.LatLng): GridPoint {
    return localToGrid(this.current, latlng.lng, latlng.lat);
  }

  centre(): GridPoint {
    return this.toGrid(this.map.getCenter());
  }

  /** A position as decimal strings with the digits the current zoom needs. */
  decimalAt(latlng: L.LatLng): ExactCentre {
    return gridToDecimal(this.toGrid(latlng), coordinateDecimals(this.zoom()));
  }

  centreDecimal(): ExactCentre {
    return this.decimalAt(this.map.getCenter());
  }

  /** Moves to an exact centre at a fractile zoom, choosing the origin for it. */
  showExact(centre: ExactCentre, zoom: number): boolean {
    const point = decimalToGrid(centre.re, centre.im, Math.max(0, Math.ceil(zoom)) + LOCAL_BITS);
    if (!point) return false;
    this.show(point, zoom);
    return true;
  }

  /** The default view: the whole set. */
  showSet(): void {
    this.setOrigin(WHOLE_GRID);
    this.map.fitBounds(SET_BOUNDS, { animate: false });
    this.notifyShift(false);
  }

  private show(point: GridPoint, zoom: number): void {
    const changed = this.setOrigin(originFor(point, zoom));
    const local = gridToLocal(this.current, point);
    this.map.setView([local.lat, local.lng], zoom - this.current.zoom, { animate: false });
    if (changed) this.notifyShift(false);
  }

  /** After a zoom that left the band: the same centre and zoom under a new origin, so nothing moves. */
  private keepInBand(): void {
    if (this.shifting) return;
    const centre = this.centre();
    const next = reanchor(this.current, this.map.getZoom(), centre);
    if (!next) return;
    const zoom = this.zoom();
    this.shifting = true;
    try {
      for (const listener of this.shiftListeners) listener.beforeReanchor?.();
      this.setOrigin(next);
      const local = gridToLocal(next, centre);
      this.map.setView([local.lat, local.lng], zoom - next.zoom, { animate: false });
      this.notifyShift(true);
    } finally {
      this.shifting = false;
    }
  }

  private setOrigin(origin: Origin): boolean {
    const same = origin.zoom === this.current.zoom && origin.x === this.current.x && origin.y === this.current.y;
    this.current = origin;
    this.applyLimits();
    return !same;
  }

  /**
   * Leaflet's zoom limits follow the origin. Set as options rather than with
   * setMinZoom/setMaxZoom, which would clamp (move) the old view first.
   */
  private applyLimits(): void {
    const options = this.map.options;
    options.minZoom = Math.max(0, this.limits.minZoom - this.current.zoom);
    options.maxZoom = this.limits.maxZoom - this.current.zoom;
    // The grid's edge only exists in Leaflet's coordinates while the origin is the whole grid.
    const whole = this.current.zoom === 0;
    // An invalid (empty) bounds is Leaflet's way of lifting the limit.
    this.map.setMaxBounds(whole ? GRID_BOUNDS.pad(0.25) : L.latLngBounds([]));
  }

  private notifyShift(inPlace: boolean): void {
    for (const listener of this.shiftListeners) listener.shifted(inPlace);
    this.map.fire("zoomlevelschange");
  }
}
