// What the browser tests read back from the page: the view in the URL, the
// loaded tile images (decoded through a canvas) and console errors.

import type { Page } from "playwright-core";

export interface TileAddress {
  renderVersion: string;
  palette: string;
  z: number;
  x: number;
  y: number;
  retina: boolean;
}

const TILE_PATH = /\/tiles\/([^/]+)\/([^/]+)\/(\d+)\/([0-9a-z]+)\/([0-9a-z]+)(@2x)?\.png$/;

export function tileAddress(url: string): TileAddress | undefined {
  const match = TILE_PATH.exec(new URL(url).pathname);
  if (!match) return undefined;
  const [, renderVersion, palette, z, x, y, retina] = match;
  // x and y are base 36 (/meta coordinateEncoding); the shallow tiles these tests compare fit a number.
  return { renderVersion, palette, z: Number(z), x: parseInt(x, 36), y: parseInt(y, 36), retina: retina !== undefined };
}

export interface UrlView {
  z: number;
  re: number;
  im: number;
  palette: string;
  hash: string;
}

/** The view as the page's URL states it, read straight from the fragment. */
export function urlView(page: Page): UrlView {
  const hash = new URL(page.url()).hash;
  const params = new URLSearchParams(hash.slice(1));
  return {
    z: Number(params.get("z")),
    re: Number(params.get("re")),
    im: Number(params.get("im")),
    palette: params.get("palette") ?? "",
    hash,
  };
}

export interface LoadedTile extends TileAddress {
  src: string;
  naturalWidth: number;
  distinctColours: number;
  /** FNV-1a over the decoded RGBA bytes. */
  pixelHash: number;
  rect: { left: number; top: number; width: number; height: number };
}

/** Every fully loaded tile <img>, decoded through a canvas (same origin, so readable). */
export async function loadedTiles(page: Page): Promise<LoadedTile[]> {
  const raw = await page.evaluate(() =>
    [...document.querySelectorAll<HTMLImageElement>("img.leaflet-tile-loaded")]
      .filter((img) => img.complete && img.naturalWidth > 0)
      .map((img) => {
        const canvas = document.createElement("canvas");
        canvas.width = img.naturalWidth;
        canvas.height = img.naturalHeight;
        const context = canvas.getContext("2d", { willReadFrequently: true })!;
        context.drawImage(img, 0, 0);
        const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
        const colours = new Set<number>();
        let hash = 0x811c9dc5;
        for (let i = 0; i < data.length; i += 4) {
          colours.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
          for (let k = 0; k < 4; k++) hash = Math.imul(hash ^ data[i + k], 0x01000193) >>> 0;
        }
        const { left, top, width, height } = img.getBoundingClientRect();
        return {
          src: img.src,
          naturalWidth: img.naturalWidth,
          distinctColours: colours.size,
          pixelHash: hash,
          rect: { left, top, width, height },
        };
      }),
  );
  return raw.flatMap((tile) => {
    const address = tileAddress(tile.src);
    return address ? [{ ...address, ...tile }] : [];
  });
}

/** Waits until the map is idle and shows loaded tiles of this zoom and palette. */
export async function waitForTiles(page: Page, z: number, palette: string): Promise<void> {
  await page.waitForFunction(
    ({ z, palette }) => {
      const map = document.getElementById("map");
      if (map?.getAttribute("aria-busy") !== "false") return false;
      // Leaflet marks failed tiles "loaded" too; only a decoded image counts.
      return [...document.querySelectorAll<HTMLImageElement>("img.leaflet-tile-loaded")].some(
        (img) => img.naturalWidth > 0 && new URL(img.src).pathname.includes(`/${palette}/${z}/`),
      );
    },
    { z, palette },
  );
}

/** Waits until no pan or zoom is under way (the viewer marks #map data-moving) and every tile has faded in. */
export async function waitForSettledMap(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    if (document.getElementById("map")?.getAttribute("data-moving") === "true") return false;
    if (document.querySelector(".leaflet-zoom-anim")) return false;
    const tiles = [...document.querySelectorAll<HTMLImageElement>("img.leaflet-tile")];
    return tiles.length > 0 && tiles.every((img) => img.complete && getComputedStyle(img).opacity === "1");
  });
}

/** Collects console errors and uncaught exceptions from the moment it is called. */
export function collectConsoleErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(`console: ${message.text()} (${message.location().url})`);
  });
  page.on("pageerror", (error) => errors.push(`pageerror: ${error.message}`));
  return errors;
}

/** Tile zoom Leaflet loads for a view zoom: the nearest integer within the layer's limits. */
export function tileZoomFor(zoom: number, minZoom: number, maxZoom: number): number {
  return Math.min(maxZoom, Math.max(minZoom, Math.round(zoom)));
}
