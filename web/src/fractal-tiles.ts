// The fractal tile layer and what can go wrong with it: pending loads for the
// loading indicator, failures turned into a readable message, and a render
// release (a tile 404 `unknown_render_version`) answered by re-reading /meta.

import L from "leaflet";
import { ApiError, apiErrorFrom, apiUrl, fetchMeta, type Meta } from "./api";
import { fractileTile, type Origin } from "./deep-origin";
import { ReanchorPlaceholder } from "./reanchor-placeholder";
import { createTileRetrier } from "./tile-retry";
import { SeamlessTileLayer } from "./seamless-tile-layer";
import { fillTileUrl } from "./tile-url";

export interface TileEvents {
  onBusyChange(busy: boolean): void;
  /** A message to show, or undefined once tiles load cleanly again. */
  onError(message: string | undefined): void;
}

export class FractalTiles {
  private layer: L.TileLayer;
  /** Layers still on screen under a newer one until it has loaded. */
  private retiring: L.TileLayer[] = [];
  private palette: string;
  /** Stands in for the tiles while a re-anchor reloads them. */
  private readonly placeholder: ReanchorPlaceholder;
  private failedSinceLoading = 0;
  private diagnosing = false;

  constructor(
    private readonly map: L.Map,
    private meta: Meta,
    private readonly apiBase: string,
    palette: string,
    private readonly events: TileEvents,
    /** Leaflet's zoom-0 world on the grid (deep-map.ts): tiles are addressed through it. */
    private readonly origin: () => Origin,
  ) {
    this.palette = palette;
    this.placeholder = new ReanchorPlaceholder(map);
    this.layer = this.createLayer();
    this.layer.addTo(map);
  }

  /** /meta's tile URL template this layer fills (it follows releases). */
  get tileUrlTemplate(): string {
    return this.meta.tileUrlTemplate;
  }

  get currentPalette(): string {
    return this.palette;
  }

  setPalette(palette: string): void {
    if (palette === this.palette) return;
    this.palette = palette;
    this.replaceLayer();
  }

  /** Reloads every tile, e.g. after the user pressed Retry. */
  retry(): void {
    this.events.onError(undefined);
    this.reload();
  }

  /** Just before a re-anchor (the view stays, the origin moves): keeps a picture of the tiles on screen. */
  beforeReanchor(): void {
    this.placeholder.hold();
  }

  /**
   * After the origin moved: Leaflet's tile keys now name other grid tiles, so the layer is reloaded.
   * In place (a re-anchor: the view did not move) the picture kept by beforeReanchor stands in
   * for the old tiles until the reloaded ones are on screen; after a jump it would show the wrong place.
   */
  reanchored(inPlace: boolean): void {
    for (const old of this.retiring.splice(0)) old.remove();
    if (inPlace) this.placeholder.show();
    else this.placeholder.clear();
    this.reload();
    // A view without tiles to load (outside the grid) never fires "load".
    if (!this.layer.isLoading()) this.clearPlaceholderOnceOpaque();
  }

  /** Re-adding rather than redraw(): Leaflet 1.9's redraw takes a fractional map zoom as the tile zoom. */
  private reload(): void {
    this.layer.remove();
    this.layer.addTo(this.map);
  }

  private createLayer(): L.TileLayer {
    const template = apiUrl(this.apiBase, this.meta.tileUrlTemplate);
    const palette = this.palette;
    const origin = this.origin;
    const layer = new (
      SeamlessTileLayer.extend({
        getTileUrl(this: L.TileLayer, coords: L.Coords): string {
          const retina = L.Browser.retina;
          return fillTileUrl(template, { palette, ...fractileTile(origin(), coords.z, coords.x, coords.y), retina });
        },
        // Leaflet's plane is unbounded; a tile exists only inside the grid (0 ≤ x, y < 2^z).
        _isValidTile(coords: L.Coords): boolean {
          if (coords.z < 0) return false;
          const tile = fractileTile(origin(), coords.z, coords.x, coords.y);
          const side = 1n << BigInt(tile.z);
          return tile.x >= 0n && tile.y >= 0n && tile.x < side && tile.y < side;
        },
      }) as new (
        url: string,
        options: L.TileLayerOptions,
      ) => L.TileLayer
    )(template, {
      tileSize: this.meta.tileSize,
      // Leaflet zooms 0..(maxZoom − origin zoom); the map itself enforces the fractile limits.
      minZoom: 0,
      maxZoom: this.meta.maxZoom,
      noWrap: true,
      // `{r}` is "@2x" on high-DPI screens: the server renders true 512 px
      // tiles, so Leaflet's detectRetina zoom-offset trick must stay off.
      detectRetina: false,
    } as L.TileLayerOptions);
    // Only the newest layer speaks for the map; a retiring one may still finish late.
    const isCurrent = () => layer === this.layer;
    layer.on("loading", () => {
      if (!isCurrent()) return;
      this.failedSinceLoading = 0;
      this.events.onBusyChange(true);
    });
    layer.on("load", () => {
      if (!isCurrent()) return;
      this.events.onBusyChange(false);
      for (const old of this.retiring.splice(0)) old.remove();
      this.clearPlaceholderOnceOpaque();
      if (this.failedSinceLoading === 0 && !this.diagnosing) this.events.onError(undefined);
    });
    // Slow deep tiles answer 503 while the server renders them in the background: try again later.
    // A tile that loads on a retry no longer counts as failed, so the banner goes once all have.
    const retry = createTileRetrier();
    const failed = new WeakSet<HTMLElement>();
    layer.on("tileerror", (event: L.TileErrorEvent) => {
      if (!isCurrent()) return;
      if (!failed.has(event.tile)) {
        failed.add(event.tile);
        this.failedSinceLoading++;
      }
      retry(event.tile as HTMLImageElement);
      void this.diagnose((event.tile as HTMLImageElement).src);
    });
    layer.on("tileload", (event: L.TileEvent) => {
      if (!isCurrent() || !failed.has(event.tile)) return;
      failed.delete(event.tile);
      this.failedSinceLoading = Math.max(0, this.failedSinceLoading - 1);
    });
    return layer;
  }

  /**
   * Removes the re-anchor placeholder once the current layer's tiles have faded in
   * (Leaflet fades each loaded tile from transparent over 200 ms): earlier, the bare map would
   * show through them. Checked each frame; a new load (another re-anchor) takes over.
   */
  private clearPlaceholderOnceOpaque(): void {
    const layer = this.layer;
    const check = () => {
      if (layer !== this.layer || !this.placeholder.showing || layer.isLoading()) return;
      if (allTilesOpaque(layer)) this.placeholder.clear();
      else requestAnimationFrame(check);
    };
    check();
  }

  /**
   * Swaps in a layer with the new URL and drops the old one once the new
   * tiles are there, so a palette change or release never flashes a grey map.
   */
  private replaceLayer(): void {
    this.retiring.push(this.layer);
    this.layer = this.createLayer();
    this.layer.addTo(this.map);
  }

  /**
   * An <img> cannot tell why it failed, so the first failure of a burst is
   * fetched once more to read the status and the JSON error body.
   */
  private async diagnose(tileUrl: string): Promise<void> {
    if (this.diagnosing) return;
    this.diagnosing = true;
    try {
      const response = await fetch(tileUrl, { cache: "no-store" });
      if (response.ok) {
        this.events.onError("Some tiles failed to load.");
        return;
      }
      const error = await apiErrorFrom(response);
      if (error.code === "unknown_render_version" && (await this.followRelease())) return;
      if (error.code === "tile_rendering") {
        this.events.onError("Some deep tiles are still rendering; they appear by themselves when ready.");
        return;
      }
      this.events.onError(`Tiles failed to load (${error.message}).`);
    } catch (error) {
      const reason = error instanceof ApiError ? error.message : "network error";
      this.events.onError(`Tiles failed to load (${reason}).`);
    } finally {
      this.diagnosing = false;
    }
  }

  /** A new render version went live: take the new tile template from /meta. */
  private async followRelease(): Promise<boolean> {
    const meta = await fetchMeta(this.apiBase);
    if (meta.tileUrlTemplate === this.meta.tileUrlTemplate) return false;
    this.meta = meta;
    this.replaceLayer();
    return true;
  }
}

/** Leaflet 1.9's GridLayer keeps its tiles here; `active` is set once a loaded tile has faded in fully. */
function allTilesOpaque(layer: L.TileLayer): boolean {
  const tiles = (layer as unknown as { _tiles: Record<string, { current: boolean; active?: boolean }> })._tiles;
  return Object.values(tiles).every((tile) => !tile.current || tile.active === true);
}
