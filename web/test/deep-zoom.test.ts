// The viewer past float64: permalinks at z≈100 and z≈1000 (public deep
// locations), real deep tiles at the right zoom, and a centre that survives
// pans, zooms and a reload to every decimal the URL carries. Small viewports:
// deep tiles take 0.1–2 s each on a busy machine.

import type { BrowserContext, Page, Route } from "playwright-core";
import { PNG } from "pngjs";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { DEEP_LOCATIONS } from "../../packages/deep/locations";
import { decodeBase36 } from "../../packages/tile/coordinates";
import type { Meta } from "../src/api";
import { useViewerUnderTest } from "./viewer-under-test";
import { collectConsoleErrors, loadedTiles, waitForSettledMap, waitForTiles } from "./page-probes";

const VIEWPORT = { width: 320, height: 240 };

const viewer = useViewerUnderTest();
let meta: Meta;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  meta = (await (await fetch(`${viewer.server.url}/meta`)).json()) as Meta;
});

afterEach(async () => {
  await Promise.all(contexts.splice(0).map((context) => context.close()));
});

/** A decimal string as m / 10^d (the test's own reading, not the viewer's). */
function fraction(text: string): { m: bigint; d: number } {
  const [whole, decimals = ""] = text.replace(/^-/, "").split(".");
  const m = BigInt(whole + decimals);
  return { m: text.startsWith("-") ? -m : m, d: decimals.length };
}

/** |a − b| · 10^digits, rounded down: how many units of the last kept digit two decimals differ by. */
function unitsApart(a: string, b: string, digits: number): bigint {
  const x = fraction(a);
  const y = fraction(b);
  const d = Math.max(x.d, y.d, digits);
  const diff = x.m * 10n ** BigInt(d - x.d) - y.m * 10n ** BigInt(d - y.d);
  return (diff < 0n ? -diff : diff) / 10n ** BigInt(d - digits);
}

/** The grid tile at zoom z holding a point:
 * from the contract, x = ⌊(re + 2.5)/4 · 2^z⌋, y = ⌊(2 − im)/4 · 2^z⌋. */
function tileOf(re: string, im: string, z: number): { x: bigint; y: bigint } {
  const r = fraction(re);
  const i = fraction(im);
  const side = 1n << BigInt(z);
  const floorDiv = (n: bigint, d: bigint) => (n >= 0n ? n / d : -((-n + d - 1n) / d));
  return {
    x: floorDiv((2n * r.m + 5n * 10n ** BigInt(r.d)) * side, 8n * 10n ** BigInt(r.d)),
    y: floorDiv((2n * 10n ** BigInt(i.d) - i.m) * side, 4n * 10n ** BigInt(i.d)),
  };
}

interface HashView {
  z: string;
  re: string;
  im: string;
  palette: string;
}

async function hashView(page: Page): Promise<HashView> {
  const params = new URLSearchParams(new URL(page.url()).hash.slice(1));
  return { z: params.get("z")!, re: params.get("re")!, im: params.get("im")!, palette: params.get("palette")! };
}

async function open(hash: string, viewport = VIEWPORT): Promise<{ page: Page; errors: string[]; tiles: string[] }> {
  const context = await viewer.browser.newContext({ viewport });
  context.setDefaultTimeout(90_000);
  contexts.push(context);
  const page = await context.newPage();
  const errors = collectConsoleErrors(page);
  const tiles: string[] = [];
  page.on("request", (request) => {
    if (request.url().includes("/tiles/")) tiles.push(request.url());
  });
  await page.goto(`${viewer.server.url}/${hash}`);
  await page.waitForFunction(() => location.hash.includes("z="));
  return { page, errors, tiles };
}

/** Loaded tile images as z, x, y (BigInt from base 36) with their size; error tiles have no natural size. */
async function shownTiles(page: Page) {
  const raw = await page.evaluate(() =>
    [...document.querySelectorAll<HTMLImageElement>("img.leaflet-tile")].map((img) => ({
      src: img.src,
      complete: img.complete,
      width: img.naturalWidth,
      loaded: img.classList.contains("leaflet-tile-loaded"),
    })),
  );
  return raw.map((tile) => {
    const match = /\/(\d+)\/([0-9a-z]+)\/([0-9a-z]+)(@2x)?\.png$/.exec(new URL(tile.src).pathname)!;
    return { ...tile, z: Number(match[1]), x: decodeBase36(match[2]), y: decodeBase36(match[3]) };
  });
}

async function waitForHash(page: Page, predicate: string): Promise<void> {
  await page.waitForFunction((text) => new URLSearchParams(location.hash.slice(1)).get("z") === text, predicate);
}

/** The map's background colour (style.css #map): what shows where no tile covers the map. */
const BACKGROUND = [0x22, 0x22, 0x22];

/** The share of a screenshot's pixels that are the bare map background. */
function backgroundShare(shot: PNG): number {
  let bare = 0;
  for (let i = 0; i < shot.data.length; i += 4) {
    if (shot.data[i] === BACKGROUND[0] && shot.data[i + 1] === BACKGROUND[1] && shot.data[i + 2] === BACKGROUND[2]) {
      bare++;
    }
  }
  return bare / (shot.width * shot.height);
}

/**
 * How alike two screenshots are at a coarse scale: the mean absolute difference (0–255) of the
 * average colours of 16 × 16 pixel blocks, the second shifted by (dx, dy) pixels.
 */
function blockDifference(a: PNG, b: PNG, dx: number, dy: number): number {
  const size = 16;
  const mean = (shot: PNG, left: number, top: number, channel: number) => {
    let sum = 0;
    for (let y = top; y < top + size; y++) {
      for (let x = left; x < left + size; x++) sum += shot.data[(y * shot.width + x) * 4 + channel];
    }
    return sum / (size * size);
  };
  let total = 0;
  let blocks = 0;
  for (let top = 0; top + size + dy <= a.height; top += size) {
    for (let left = 0; left + size + dx <= a.width; left += size) {
      for (let channel = 0; channel < 3; channel++) {
        total += Math.abs(mean(a, left, top, channel) - mean(b, left + dx, top + dy, channel));
      }
      blocks++;
    }
  }
  return total / (blocks * 3);
}

/** Holds back the responses to tile requests of one zoom until release() (routing also bypasses the HTTP cache). */
function holdTiles(page: Page, palette: string, z: number) {
  const pattern = new RegExp(`/tiles/[^/]+/${palette}/${z}/`);
  const waiting: Route[] = [];
  let released = false;
  // A request the page gave up on (Leaflet aborts tiles it no longer needs), or one still in
  // flight when the page closes, cannot continue: that is no failure of the test.
  const pass = (route: Route) => route.continue().catch(() => {});
  const handler = async (route: Route) => {
    if (released) await pass(route);
    else waiting.push(route);
  };
  return {
    install: () => page.route(pattern, handler),
    async release() {
      released = true;
      await page.unroute(pattern, handler);
      await Promise.all(waiting.splice(0).map(pass));
    },
  };
}

const AT_200 = DEEP_LOCATIONS.find((l) => l.zoom >= 200 && l.zoom < 300)!;
const AT_1000 = DEEP_LOCATIONS.find((l) => l.zoom >= 1000 && l.zoom < 2000)!;
// The minibrot, not C = i: its centre has every one of its ~600 decimals significant.
const AT_2000 = DEEP_LOCATIONS.find((l) => l.zoom >= 2000 && l.kind === "minibrot")!;

/** The pointer readout ("re + im i", "−" for minus) as two decimal strings. */
function readoutPoint(text: string): { re: string; im: string } {
  const match = /^(−?[0-9.]+) ([+−]) ([0-9.]+)i$/.exec(text);
  if (!match) throw new Error(`unreadable pointer readout ${JSON.stringify(text)}`);
  return { re: match[1].replace("−", "-"), im: `${match[2] === "−" ? "-" : ""}${match[3]}` };
}

describe("deep zoom in Chromium against the local server", { timeout: 300_000 }, () => {
  for (const { location: spot, z } of [
    { location: AT_200, z: 100 },
    { location: AT_1000, z: AT_1000.zoom },
  ]) {
    it(`opens a permalink at z${z} with real tiles, and keeps the centre exact through pans and zooms`, async () => {
      const palette = meta.defaultPalette;
      const { page, errors, tiles } = await open(`#z=${z}&re=${spot.re}&im=${spot.im}&palette=${palette}`);
      await waitForTiles(page, z, palette);
      await waitForSettledMap(page);
      const first = await hashView(page);
      expect(first.z).toBe(String(z));
      // The URL keeps the centre to every digit the zoom needs (half a unit of the last).
      const digits = first.re.split(".")[1].length;
      expect(digits).toBeGreaterThanOrEqual(Math.ceil(z * Math.log10(2)));
      expect(unitsApart(first.re, spot.re, digits)).toBe(0n);
      expect(unitsApart(first.im, spot.im, digits)).toBe(0n);

      // Real images at zoom z, the tile holding the centre among them, no error tiles.
      const shown = await shownTiles(page);
      const real = shown.filter((t) => t.z === z && t.complete && t.width === meta.tileSize);
      expect(real.length).toBeGreaterThanOrEqual(1);
      const centre = tileOf(spot.re, spot.im, z);
      expect(real.some((t) => t.x === centre.x && t.y === centre.y)).toBe(true);
      expect(shown.filter((t) => t.loaded && t.width === 0)).toEqual([]);
      expect(tiles.every((url) => /\/\d+\//.test(url))).toBe(true);

      // A pan right by Leaflet's 80 px keyboard step moves the centre by 80 px = 80·4/(256·2^z). Leaflet
      // measures a moved centre in whole pixels of the view, so it may land up to a pixel off.
      const pixelUnits = (10n ** BigInt(digits) * 4n) / (256n << BigInt(z));
      await page.focus("#map");
      await page.keyboard.press("ArrowRight");
      await page.waitForFunction((re) => !location.hash.includes(`re=${re}&`), first.re);
      await waitForSettledMap(page);
      const panned = await hashView(page);
      const wide = digits + z;
      const start = fraction(first.re);
      // re + 1.25 / 2^z, written out exactly with z + digits decimals (|re| < 1 here).
      const target = start.m * 10n ** BigInt(wide - start.d) + (125n * 10n ** BigInt(wide - 2)) / (1n << BigInt(z));
      const targetDigits = (target < 0n ? -target : target).toString().padStart(wide, "0");
      const targetText = `${target < 0n ? "-" : ""}0.${targetDigits}`;
      expect(unitsApart(panned.re, targetText, digits)).toBeLessThanOrEqual(pixelUnits + 1n);
      expect(unitsApart(panned.im, first.im, digits)).toBeLessThanOrEqual(pixelUnits + 1n);
      await page.keyboard.press("ArrowLeft");
      await page.waitForFunction((re) => !location.hash.includes(`re=${re}&`), panned.re);
      await waitForSettledMap(page);
      const rest = await hashView(page);
      expect(unitsApart(rest.re, first.re, digits)).toBeLessThanOrEqual(pixelUnits + 1n);

      // One level in and back out: the same centre to the last digit.
      await page.keyboard.press("+");
      await waitForHash(page, String(z + 1));
      await waitForTiles(page, z + 1, palette);
      const deeper = await hashView(page);
      expect(unitsApart(deeper.re, rest.re, digits)).toBe(0n);
      expect(unitsApart(deeper.im, rest.im, digits)).toBe(0n);
      await page.keyboard.press("-");
      await waitForHash(page, String(z));
      await waitForSettledMap(page);
      expect(await hashView(page)).toEqual(rest);

      // The permalink round-trips: a fresh page on the same URL says the same.
      const again = await open(`#z=${rest.z}&re=${rest.re}&im=${rest.im}&palette=${palette}`);
      await waitForTiles(again.page, z, palette);
      expect(await hashView(again.page)).toEqual(rest);
      expect(errors).toEqual([]);
      expect(again.errors).toEqual([]);
    });
  }

  it(`opens a permalink at z${AT_2000.zoom} with real, structured tiles and the centre to every decimal`, async () => {
    const palette = meta.defaultPalette;
    const z = AT_2000.zoom;
    // A tile takes about a second at this depth: the centre lies at about (198, 175) px in its
    // tile, so a 112 px square view needs that tile alone.
    const { page, errors } = await open(`#z=${z}&re=${AT_2000.re}&im=${AT_2000.im}&palette=${palette}`, {
      width: 112,
      height: 112,
    });
    await waitForTiles(page, z, palette);
    await waitForSettledMap(page);

    // The permalink keeps the centre to every digit the zoom needs.
    const view = await hashView(page);
    expect(view.z).toBe(String(z));
    const digits = view.re.split(".")[1].length;
    expect(digits).toBeGreaterThanOrEqual(Math.ceil(z * Math.log10(2)));
    expect(unitsApart(view.re, AT_2000.re, digits)).toBe(0n);
    expect(unitsApart(view.im, AT_2000.im, digits)).toBe(0n);
    expect(await page.locator("#zoom-readout").textContent()).toMatch(new RegExp(`^${z} \\(×10\\^603\\.\\d\\)$`));

    // Real tiles of this zoom, the one holding the centre among them, each with bands, not one colour.
    const shown = (await shownTiles(page)).filter((t) => t.z === z && t.complete && t.width === meta.tileSize);
    const centre = tileOf(AT_2000.re, AT_2000.im, z);
    expect(shown.some((t) => t.x === centre.x && t.y === centre.y)).toBe(true);
    const colours = new Map((await loadedTiles(page)).map((t) => [t.src, t.distinctColours]));
    for (const tile of shown) expect(colours.get(tile.src)).toBeGreaterThanOrEqual(32);

    // The pointer readout at the map's centre pixel says the centre, to within that pixel.
    const box = (await page.locator("#map").boundingBox())!;
    await page.locator("#map").dispatchEvent("mousemove", {
      clientX: box.x + box.width / 2,
      clientY: box.y + box.height / 2,
    });
    await page.waitForFunction(() => document.getElementById("pointer-readout")!.textContent !== "—");
    const pointed = readoutPoint((await page.locator("#pointer-readout").textContent())!);
    expect(pointed.re.split(".")[1].length).toBeGreaterThanOrEqual(digits);
    const pixelUnits = (10n ** BigInt(digits) * 4n) / (256n << BigInt(z));
    expect(unitsApart(pointed.re, AT_2000.re, digits)).toBeLessThanOrEqual(pixelUnits + 1n);
    expect(unitsApart(pointed.im, AT_2000.im, digits)).toBeLessThanOrEqual(pixelUnits + 1n);
    expect(errors).toEqual([]);
  });

  it("re-anchors Leaflet past its comfortable zoom band without moving the centre or blanking the map", async () => {
    const palette = meta.defaultPalette;
    const z = 100;
    const { page, errors } = await open(`#z=${z}&re=${AT_200.re}&im=${AT_200.im}&palette=${palette}`);
    // The panel and zoom buttons float over the map; hidden, every pixel of the screenshot is map.
    await page.addStyleTag({
      content: "#panel, #loading, .leaflet-control-container { visibility: hidden !important; }",
    });
    await waitForTiles(page, z, palette);
    const originBefore = await page.locator("#map").getAttribute("data-origin-zoom");
    const first = await hashView(page);
    const digits = first.re.split(".")[1].length;
    await page.focus("#map");
    // Shift + "=" zooms by 3 levels in Leaflet: 5 presses take Leaflet from 12 to 27, past the band.
    for (let step = 1; step <= 4; step++) {
      await page.keyboard.press("Shift+Equal");
      await waitForHash(page, String(z + 3 * step));
    }
    expect(await page.locator("#map").getAttribute("data-origin-zoom")).toBe(originBefore);
    await waitForTiles(page, z + 12, palette);
    await waitForSettledMap(page);
    expect(backgroundShare(PNG.sync.read(await page.screenshot()))).toBeLessThan(0.01);

    // The tiles of the zoom past the band are held back, so at the re-anchor nothing new can
    // have loaded: what the map shows then is what it kept of the old tiles.
    const deep = z + 15;
    const held = holdTiles(page, palette, deep);
    await held.install();
    await page.keyboard.press("Shift+Equal");
    await waitForHash(page, String(deep));
    await page.waitForFunction((before) => document.getElementById("map")!.dataset.originZoom !== before, originBefore);
    expect(Number(await page.locator("#map").getAttribute("data-origin-zoom"))).toBeGreaterThan(Number(originBefore));
    await page.waitForFunction(() => !document.querySelector(".leaflet-zoom-anim"));
    expect(await page.locator(`img.leaflet-tile-loaded[src*="/${palette}/${deep}/"]`).count()).toBe(0);
    expect(await page.locator(".fractile-reanchor-placeholder").count()).toBe(1);
    const atReanchor = PNG.sync.read(await page.screenshot());
    expect(backgroundShare(atReanchor)).toBeLessThan(0.01);

    await held.release();
    await waitForTiles(page, deep, palette);
    await waitForSettledMap(page);
    const loaded = PNG.sync.read(await page.screenshot());
    expect(backgroundShare(loaded)).toBeLessThan(0.01);
    // The kept picture was in place: coarsely it matches the tiles that replaced it, far better
    // than the same tiles 16 px away do.
    const misplaced = Math.min(blockDifference(atReanchor, loaded, 16, 0), blockDifference(atReanchor, loaded, 0, 16));
    expect(blockDifference(atReanchor, loaded, 0, 0)).toBeLessThan(misplaced / 2);
    await page.waitForFunction(() => !document.querySelector(".fractile-reanchor-placeholder"));
    const after = await hashView(page);
    expect(unitsApart(after.re, first.re, digits)).toBe(0n);
    expect(unitsApart(after.im, first.im, digits)).toBe(0n);
    const centre = tileOf(after.re, after.im, deep);
    const shown = await shownTiles(page);
    const real = shown.filter((t) => t.z === deep && t.complete && t.width === meta.tileSize);
    expect(real.some((t) => t.x === centre.x && t.y === centre.y)).toBe(true);
    expect(shown.filter((t) => t.loaded && t.width === 0)).toEqual([]);
    expect(errors).toEqual([]);
  });
});
