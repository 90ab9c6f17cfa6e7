// The viewer in a real browser (Debian's Chromium through playwright-core),
// against the real local server (scripts/serve.ts) with a fresh tile cache.
// Needs `npm run build` first (npm test does it): the page is web/dist.

import { mkdirSync } from "node:fs";
import path from "node:path";
import type { BrowserContext, BrowserContextOptions, Page } from "playwright-core";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Meta } from "../src/api";
import { REPO_ROOT, useViewerUnderTest } from "./viewer-under-test";
import { viewerMaxZoom } from "../src/viewer-limits";
import { DEEP_FROM_ZOOM, iterationBudget } from "../../packages/render/index";
import {
  collectConsoleErrors,
  loadedTiles,
  tileAddress,
  tileZoomFor,
  urlView,
  waitForSettledMap,
  waitForTiles,
  type LoadedTile,
  type TileAddress,
} from "./page-probes";

const ARTIFACTS = path.join(REPO_ROOT, "test-artifacts");
const VIEWPORT = { width: 1280, height: 720 };

const viewer = useViewerUnderTest();
let meta: Meta;
let otherPalette: string;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  meta = (await (await fetch(`${viewer.server.url}/meta`)).json()) as Meta;
  otherPalette = meta.palettes.find((name) => name !== meta.defaultPalette)!;
});

afterEach(async () => {
  await Promise.all(contexts.splice(0).map((context) => context.close()));
});

interface OpenedViewer {
  page: Page;
  errors: string[];
  tileRequests: TileAddress[];
}

async function newContext(options: BrowserContextOptions = {}): Promise<BrowserContext> {
  const context = await viewer.browser.newContext({ viewport: VIEWPORT, ...options });
  context.setDefaultTimeout(45_000);
  contexts.push(context);
  return context;
}

async function openViewer(hash = "", options: BrowserContextOptions = {}): Promise<OpenedViewer> {
  const context = await newContext(options);
  const page = await context.newPage();
  const errors = collectConsoleErrors(page);
  const tileRequests: TileAddress[] = [];
  page.on("request", (request) => {
    const address = tileAddress(request.url());
    if (address) tileRequests.push(address);
  });
  await page.goto(`${viewer.server.url}/${hash}`);
  await page.waitForFunction(() => location.hash.includes("z="));
  return { page, errors, tileRequests };
}

/** Opens the viewer and waits until the tiles of the view its URL settles on are loaded. */
async function openSettled(hash = "", options: BrowserContextOptions = {}): Promise<OpenedViewer> {
  const opened = await openViewer(hash, options);
  const view = urlView(opened.page);
  await waitForTiles(opened.page, tileZoomFor(view.z, meta.minZoom, viewerMaxZoom(meta.maxZoom)), view.palette);
  return opened;
}

/** The server tile under the view centre, and where in it the centre falls (0..1). */
function centreTile(re: number, im: number, z: number) {
  // Restated from the contract, not imported from the viewer: px = (re + 2.5)·64·2^z, py = (2 − im)·64·2^z.
  const tx = ((re + 2.5) / 4) * 2 ** z;
  const ty = ((2 - im) / 4) * 2 ** z;
  return { x: Math.floor(tx), y: Math.floor(ty), fx: tx - Math.floor(tx), fy: ty - Math.floor(ty) };
}

function findTile(tiles: LoadedTile[], palette: string, z: number, x: number, y: number): LoadedTile {
  const tile = tiles.find((t) => t.palette === palette && t.z === z && t.x === x && t.y === y);
  if (!tile)
    throw new Error(
      `tile ${palette}/${z}/${x}/${y} is not loaded; loaded: ${tiles.map((t) => `${t.palette}/${t.z}/${t.x}/${t.y}`).join(" ")}`,
    );
  return tile;
}

/** Screenshots once the map is at rest and Leaflet's tile fade-in is over, so artifacts show what a user sees. */
async function screenshot(page: Page, name: string): Promise<void> {
  await waitForSettledMap(page);
  await page.screenshot({ path: path.join(ARTIFACTS, name) });
}

async function waitForUrlZoom(page: Page, z: string): Promise<void> {
  await page.waitForFunction((z) => new URLSearchParams(location.hash.slice(1)).get("z") === z, z);
}

// Generous: under `npm test` the two cores are shared with every other suite.
describe("viewer in Chromium against the local server", { timeout: 120_000 }, () => {
  it("shows real Mandelbrot tiles from the server, placed on the server's grid", async () => {
    const { page, errors } = await openSettled();
    const view = urlView(page);
    expect(view.palette).toBe(meta.defaultPalette);
    const z = tileZoomFor(view.z, meta.minZoom, viewerMaxZoom(meta.maxZoom));

    const tiles = (await loadedTiles(page)).filter((t) => t.z === z && t.palette === view.palette);
    expect(tiles.length).toBeGreaterThanOrEqual(4);
    for (const tile of tiles) {
      expect(tile.renderVersion).toBe(meta.renderVersion);
      expect(tile.naturalWidth).toBe(meta.tileSize);
      expect(tile.distinctColours, tile.src).toBeGreaterThan(1);
    }
    expect(Math.max(...tiles.map((t) => t.distinctColours))).toBeGreaterThanOrEqual(64);

    // The point the URL names sits at the centre of the map, inside the server tile that contains it.
    const centre = centreTile(view.re, view.im, z);
    const tile = findTile(tiles, view.palette, z, centre.x, centre.y);
    expect(Math.abs(tile.rect.left + centre.fx * tile.rect.width - VIEWPORT.width / 2)).toBeLessThan(1.5);
    expect(Math.abs(tile.rect.top + centre.fy * tile.rect.height - VIEWPORT.height / 2)).toBeLessThan(1.5);

    await screenshot(page, "viewer-default.png");
    expect(errors).toEqual([]);
  });

  it("zooms with the keyboard and the wheel: the URL and the requested tiles go deeper", async () => {
    const palette = meta.defaultPalette;
    const { page, errors, tileRequests } = await openSettled(`#z=3&re=-0.75&im=0.1&palette=${palette}`);
    const historyBefore = await page.evaluate(() => history.length);

    // Record whether the loading indicator ever shows while the deeper tiles render.
    await page.evaluate(() => {
      const indicator = document.getElementById("loading")!;
      new MutationObserver(() => {
        if (!indicator.hidden) document.body.dataset.loadingShown = "yes";
      }).observe(indicator, { attributes: true });
    });
    await page.focus("#map");
    tileRequests.length = 0;
    await page.keyboard.press("+");
    await waitForUrlZoom(page, "4");
    await waitForTiles(page, 4, palette);
    await expect(page.evaluate(() => document.body.dataset.loadingShown)).resolves.toBe("yes");
    await expect(page.locator("#loading").isHidden()).resolves.toBe(true);
    expect(urlView(page)).toMatchObject({ re: -0.75, im: 0.1, palette });
    expect(tileRequests.some((t) => t.z === 4)).toBe(true);
    expect(tileRequests.every((t) => t.z >= 4)).toBe(true);
    // A deliberate zoom is its own history entry.
    expect(await page.evaluate(() => history.length)).toBe(historyBefore + 1);

    // 64 px right of the centre at zoom 4 is re + 64 · 4/2^4/256 = -0.75 + 0.0625. Leaflet
    // keeps its pixel origin whole, so the centre itself may sit up to a pixel off the mouse's grid.
    await page.mouse.move(VIEWPORT.width / 2 + 64, VIEWPORT.height / 2);
    const readout = /^(\S+) ([+−]) (\S+)i$/.exec((await page.locator("#pointer-readout").textContent())!);
    expect(readout).not.toBeNull();
    const [, reText, sign, imText] = readout!;
    const pixel = 4 / 2 ** 4 / 256;
    expect(Math.abs(Number(reText.replace("−", "-")) - -0.6875)).toBeLessThanOrEqual(pixel);
    expect(Math.abs((sign === "−" ? -1 : 1) * Number(imText) - 0.1)).toBeLessThanOrEqual(pixel);

    tileRequests.length = 0;
    await page.mouse.move(VIEWPORT.width / 2, VIEWPORT.height / 2);
    await page.mouse.wheel(0, -400);
    await page.waitForFunction(() => Number(new URLSearchParams(location.hash.slice(1)).get("z")) > 4);
    const deeper = urlView(page).z;
    await waitForTiles(page, tileZoomFor(deeper, meta.minZoom, viewerMaxZoom(meta.maxZoom)), palette);
    expect(tileRequests.some((t) => t.z === tileZoomFor(deeper, meta.minZoom, viewerMaxZoom(meta.maxZoom)))).toBe(true);
    await expect(page.locator("#zoom-readout").textContent()).resolves.toContain(String(deeper));

    await screenshot(page, "viewer-zoomed.png");
    expect(errors).toEqual([]);
  });

  it("a copied link reproduces the view exactly, after a drag", async () => {
    const a = await openSettled(`#z=5&re=-0.75&im=0.1&palette=${otherPalette}`);
    await a.page.mouse.move(640, 360);
    await a.page.mouse.down();
    await a.page.mouse.move(520, 300, { steps: 8 });
    await a.page.mouse.up();
    await a.page.waitForFunction(() => !location.hash.includes("re=-0.75&"));
    await waitForSettledMap(a.page); // drag inertia over, its moveend recorded in the URL
    await waitForTiles(a.page, 5, otherPalette);
    const viewA = urlView(a.page);
    expect(viewA.re).toBeGreaterThan(-0.75);
    expect(viewA.im).toBeLessThan(0.1); // dragging up shows what lies below

    const b = await openSettled(viewA.hash);
    expect(urlView(b.page).hash).toBe(viewA.hash);
    await expect(b.page.locator("#palette").inputValue()).resolves.toBe(otherPalette);
    await expect(b.page.locator("#zoom-readout").textContent()).resolves.toBe(
      await a.page.locator("#zoom-readout").textContent(),
    );

    // Same tiles at the same places on screen (to a pixel). A tile within a pixel of
    // the viewport's edge may be needed by one page and not the other, so the edges are left out.
    const margin = 2;
    const onScreen = (tiles: LoadedTile[]) =>
      tiles.filter(
        (t) =>
          t.z === 5 &&
          t.palette === otherPalette &&
          t.rect.left < VIEWPORT.width - margin &&
          t.rect.top < VIEWPORT.height - margin &&
          t.rect.left + t.rect.width > margin &&
          t.rect.top + t.rect.height > margin,
      );
    const tilesA = onScreen(await loadedTiles(a.page));
    const tilesB = onScreen(await loadedTiles(b.page));
    expect(tilesA.length).toBeGreaterThanOrEqual(4);
    for (const tile of tilesA) {
      const twin = findTile(tilesB, otherPalette, 5, tile.x, tile.y);
      expect(Math.abs(twin.rect.left - tile.rect.left)).toBeLessThanOrEqual(1);
      expect(Math.abs(twin.rect.top - tile.rect.top)).toBeLessThanOrEqual(1);
      expect(twin.pixelHash).toBe(tile.pixelHash);
    }
    expect(a.errors).toEqual([]);
    expect(b.errors).toEqual([]);
  });

  it("switching palette changes the pixels; Back and Forward restore each view", async () => {
    const start = `#z=4&re=-0.75&im=0.1&palette=${meta.defaultPalette}`;
    const { page, errors } = await openSettled(start);
    const centre = centreTile(-0.75, 0.1, 4);
    const before = findTile(await loadedTiles(page), meta.defaultPalette, 4, centre.x, centre.y);

    await page.selectOption("#palette", otherPalette);
    await page.waitForFunction((p) => location.hash.endsWith(`palette=${p}`), otherPalette);
    await waitForTiles(page, 4, otherPalette);
    const after = findTile(await loadedTiles(page), otherPalette, 4, centre.x, centre.y);
    expect(after.distinctColours).toBeGreaterThan(1);
    expect(after.pixelHash).not.toBe(before.pixelHash);
    await screenshot(page, "viewer-other-palette.png");
    const paletteSwitched = urlView(page).hash;

    await page.focus("#map");
    await page.keyboard.press("+");
    await waitForUrlZoom(page, "5");
    await waitForTiles(page, 5, otherPalette);
    const zoomedIn = urlView(page).hash;

    await page.goBack();
    await waitForUrlZoom(page, "4");
    expect(urlView(page).hash).toBe(paletteSwitched);
    await waitForTiles(page, 4, otherPalette);

    await page.goBack();
    await page.waitForFunction((p) => location.hash.endsWith(`palette=${p}`), meta.defaultPalette);
    expect(urlView(page).hash).toBe(start);
    await expect(page.locator("#palette").inputValue()).resolves.toBe(meta.defaultPalette);
    await waitForTiles(page, 4, meta.defaultPalette);
    // Rendering is deterministic: the same tile comes back with the same pixels.
    expect(findTile(await loadedTiles(page), meta.defaultPalette, 4, centre.x, centre.y).pixelHash).toBe(
      before.pixelHash,
    );

    await page.goForward();
    await page.goForward();
    await waitForUrlZoom(page, "5");
    expect(urlView(page).hash).toBe(zoomedIn);
    await expect(page.locator("#palette").inputValue()).resolves.toBe(otherPalette);
    await waitForTiles(page, 5, otherPalette);
    expect(errors).toEqual([]);
  });

  it("asks for true 512 px @2x tiles on a high-DPI screen", async () => {
    const { page, errors, tileRequests } = await openSettled(`#z=3&re=-0.75&im=0&palette=${meta.defaultPalette}`, {
      deviceScaleFactor: 2,
    });
    expect(tileRequests.length).toBeGreaterThan(0);
    expect(tileRequests.every((t) => t.retina)).toBe(true);
    const tiles = (await loadedTiles(page)).filter((t) => t.z === 3);
    expect(tiles.length).toBeGreaterThan(0);
    for (const tile of tiles) {
      expect(tile.naturalWidth).toBe(2 * meta.tileSize);
      expect(tile.rect.width).toBeCloseTo(meta.tileSize, 5);
    }
    expect(errors).toEqual([]);
  });

  it("works on a phone: pinch zooms, and the controls stay clear of the zoom buttons", async () => {
    const phone = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
    const { page, errors, tileRequests } = await openSettled(
      `#z=2&re=-0.75&im=0&palette=${meta.defaultPalette}`,
      phone,
    );
    const zoomButtons = (await page.locator(".leaflet-control-zoom").boundingBox())!;
    const panel = (await page.locator("#panel").boundingBox())!;
    expect(panel.y).toBeGreaterThan(zoomButtons.y + zoomButtons.height);
    expect(panel.y + panel.height).toBeLessThanOrEqual(phone.viewport.height);

    // Two fingers spreading to twice their distance, as Chromium's input pipeline delivers them.
    tileRequests.length = 0;
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Input.synthesizePinchGesture", {
      x: 195,
      y: 422,
      scaleFactor: 2,
      relativeSpeed: 800,
      gestureSourceType: "touch",
    });
    await page.waitForFunction(() => Number(new URLSearchParams(location.hash.slice(1)).get("z")) > 2);
    const pinched = urlView(page).z;
    const z = tileZoomFor(pinched, meta.minZoom, viewerMaxZoom(meta.maxZoom));
    await waitForTiles(page, z, meta.defaultPalette);
    expect(tileRequests.some((t) => t.z === z && t.retina)).toBe(true);
    await screenshot(page, "viewer-phone.png");
    expect(errors).toEqual([]);
  });

  it("has labelled, keyboard-reachable controls and a save-image link the server renders", async () => {
    const { page, errors } = await openSettled(`#z=2&re=-0.5&im=0&palette=${otherPalette}`);
    await expect(page.locator("#map").getAttribute("tabindex")).resolves.toBe("0");
    await expect(page.getByLabel("Palette").inputValue()).resolves.toBe(otherPalette);

    // Tab order reaches the map and every control.
    const reached = new Set<string>();
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press("Tab");
      reached.add(
        await page.evaluate(
          () => document.activeElement?.id || document.activeElement?.getAttribute("aria-label") || "",
        ),
      );
    }
    for (const id of ["map", "palette", "image-size", "image-format", "save-image"]) expect(reached).toContain(id);

    await page.getByLabel("Size").selectOption("window");
    // "Save image"'s Format, not "Export zoom"'s Frame format.
    await page.getByRole("combobox", { name: "Format", exact: true }).selectOption("webp");
    await expect(page.getByRole("link", { name: "Save image" }).getAttribute("href")).resolves.toMatch(
      /\/render\.webp\?/,
    );
    await page.getByRole("combobox", { name: "Format", exact: true }).selectOption("png");
    const href = await page.getByRole("link", { name: "Save image" }).getAttribute("href");
    const image = new URL(href!, page.url());
    expect(Object.fromEntries(image.searchParams)).toMatchObject({
      re: "-0.5",
      im: "0",
      zoom: "2",
      width: "1280",
      height: "720",
      palette: otherPalette,
    });
    const response = await fetch(image);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("image/png");
    const png = Buffer.from(await response.arrayBuffer());
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1280, 720]); // IHDR width, height
    await expect(page.locator("#image-note").textContent()).resolves.toBe("");
    expect(errors).toEqual([]);
  });

  it("shrinks the saved image to what the server accepts at the viewer's deepest zoom (perturbation tiles)", async () => {
    // Inside the main cardioid, so the server's render is quick however deep.
    const { page, errors } = await openSettled(`#z=${meta.maxZoom}&re=-0.2&im=0.1&palette=${meta.defaultPalette}`);
    // The fragment asked for the server's deepest zoom; the viewer clamps it to its own.
    expect(urlView(page).z).toBe(viewerMaxZoom(meta.maxZoom));
    expect(viewerMaxZoom(meta.maxZoom)).toBeGreaterThan(DEEP_FROM_ZOOM);
    await page.getByLabel("Size").selectOption("2048x1152");
    const href = await page.getByRole("link", { name: "Save image" }).getAttribute("href");
    const image = new URL(href!, page.url());
    const width = Number(image.searchParams.get("width"));
    const height = Number(image.searchParams.get("height"));
    expect(width).toBeLessThan(2048);
    await expect(page.locator("#image-note").textContent()).resolves.toContain(`${width} × ${height}`);

    const response = await fetch(image);
    expect(
      response.status,
      await response
        .clone()
        .text()
        .catch(() => ""),
    ).toBe(200);
    const png = Buffer.from(await response.arrayBuffer());
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([width, height]);
    expect(errors).toEqual([]);
  });

  it("shows the tiles' iteration budget at depth, and what /point says about a clicked point", async () => {
    // z44: perturbation tiles; the centre is inside the main cardioid (an attracting fixed point).
    const { page, errors } = await openSettled(`#z=44&re=-0.2&im=0.1&palette=${meta.defaultPalette}`);
    const budget = iterationBudget(44);
    await expect.poll(() => page.locator("#budget-readout").textContent()).toBe(budget.toLocaleString("en"));
    const box = (await page.locator("#map").boundingBox())!;
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await expect
      .poll(() => page.locator("#point-readout").textContent(), { timeout: 30_000 })
      .toContain(`inside (no escape in ${budget} iterations), period 1`);
    expect(errors).toEqual([]);
  });

  it("goes to a pasted re, im and zoom", async () => {
    const { page, errors } = await openSettled();
    await page.locator("#goto-section summary").click();
    await page.getByLabel("Re", { exact: true }).fill("-0.743643887037151");
    await page.getByLabel("Im", { exact: true }).fill("0.13182590420533");
    await page.getByLabel("Zoom", { exact: true }).fill("30");
    await page.getByRole("button", { name: "Go" }).click();
    await waitForUrlZoom(page, "30");
    const view = urlView(page);
    expect(Math.abs(view.re - -0.743643887037151)).toBeLessThan(4 / 2 ** 30 / 256);
    expect(Math.abs(view.im - 0.13182590420533)).toBeLessThan(4 / 2 ** 30 / 256);
    await waitForTiles(page, 30, meta.defaultPalette);
    expect(errors).toEqual([]);
  });

  it("takes the API host from config.json at run time", async () => {
    const context = await newContext();
    const page = await context.newPage();
    const errors = collectConsoleErrors(page);
    // A made-up API host that Chromium reaches through the real local server; the
    // CORS header is what a cross-origin API deploy would have to send for /meta.
    const apiHost = "http://api.fractile.test";
    const apiRequests: string[] = [];
    await page.route(/\/config\.json$/, (route) => route.fulfill({ json: { apiBase: `${apiHost}/` } }));
    await page.route(`${apiHost}/**`, async (route) => {
      apiRequests.push(new URL(route.request().url()).pathname);
      const response = await route.fetch({ url: route.request().url().replace(apiHost, viewer.server.url) });
      await route.fulfill({ response, headers: { ...response.headers(), "access-control-allow-origin": "*" } });
    });
    await page.goto(`${viewer.server.url}/#z=2&re=-0.5&im=0&palette=${meta.defaultPalette}`);
    await waitForTiles(page, 2, meta.defaultPalette);

    expect(apiRequests).toContain("/meta");
    expect(apiRequests.some((p) => p.startsWith(`/tiles/${meta.renderVersion}/`))).toBe(true);
    const tileHosts = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLImageElement>("img.leaflet-tile")].map((img) => new URL(img.src).origin),
    );
    expect(new Set(tileHosts)).toEqual(new Set([apiHost]));
    await expect(page.getByRole("link", { name: "Save image" }).getAttribute("href")).resolves.toMatch(
      /^http:\/\/api\.fractile\.test\/render\.png\?/,
    );
    expect(errors).toEqual([]);
  });

  it("says so when it cannot reach /meta, and Retry starts it", async () => {
    const context = await newContext();
    const page = await context.newPage();
    await page.route(/\/meta$/, (route) => route.abort("connectionrefused"));
    await page.goto(`${viewer.server.url}/`);
    const banner = page.getByRole("alert");
    await banner.waitFor({ state: "visible" });
    await expect(banner.textContent()).resolves.toContain("could not start");

    await page.unroute(/\/meta$/);
    await page.getByRole("button", { name: "Retry" }).click();
    await page.waitForFunction(() => location.hash.includes("z="));
    const view = urlView(page);
    await waitForTiles(page, tileZoomFor(view.z, meta.minZoom, viewerMaxZoom(meta.maxZoom)), meta.defaultPalette);
    await banner.waitFor({ state: "hidden" });
  });

  it("shows the server's error for failing tiles, and Retry recovers", async () => {
    const context = await newContext();
    const page = await context.newPage();
    // Point every tile at a row that does not exist, so the real server answers its real 400.
    const brokenTiles = /\/tiles\/.*\.png$/;
    await page.route(brokenTiles, (route) =>
      route.continue({
        url: route
          .request()
          .url()
          .replace(/\/\d+(@2x)?\.png$/, "/99999999$1.png"),
      }),
    );
    await page.goto(`${viewer.server.url}/#z=2&re=-0.5&im=0&palette=${meta.defaultPalette}`);

    const banner = page.getByRole("alert");
    await banner.waitFor({ state: "visible" });
    const brokenUrl = `${viewer.server.url}/tiles/${meta.renderVersion}/${meta.defaultPalette}/2/0/99999999.png`;
    const serverAnswer = (await (await fetch(brokenUrl)).json()) as { error: string; detail: string };
    await expect(banner.textContent()).resolves.toContain(serverAnswer.detail);
    await screenshot(page, "viewer-tile-error.png");

    await page.unroute(brokenTiles);
    await page.getByRole("button", { name: "Retry" }).click();
    await waitForTiles(page, 2, meta.defaultPalette);
    await banner.waitFor({ state: "hidden" });
  });

  it("retries tiles the server is still rendering (503 tile_rendering) until they load, and says why meanwhile", async () => {
    const context = await newContext();
    const page = await context.newPage();
    // Each tile answers as a slow deep tile does while the export worker renders it, for 2 s from
    // its first request (the viewer's diagnosis fetch included), then as the cache would.
    const firstAsked = new Map<string, number>();
    let refusals = 0;
    await page.route(/\/tiles\/.*\.png$/, (route) => {
      const url = route.request().url();
      const first = firstAsked.get(url) ?? Date.now();
      firstAsked.set(url, first);
      if (Date.now() - first > 2_000) return route.continue();
      refusals++;
      return route.fulfill({
        status: 503,
        contentType: "application/json",
        headers: { "retry-after": "2", "cache-control": "no-store" },
        body: JSON.stringify({ error: "tile_rendering", detail: "rendered in the background", retryAfterSeconds: 2 }),
      });
    });
    await page.goto(`${viewer.server.url}/#z=2&re=-0.5&im=0&palette=${meta.defaultPalette}`);

    const banner = page.getByRole("alert");
    await banner.waitFor({ state: "visible" });
    await expect(banner.textContent()).resolves.toContain("still rendering");
    // No reload, no click: the retries bring every tile of the view, and the banner goes.
    await page.waitForFunction(() => {
      const tiles = [...document.querySelectorAll<HTMLImageElement>("img.leaflet-tile")];
      return tiles.length > 0 && tiles.every((img) => img.complete && img.naturalWidth > 0);
    });
    await banner.waitFor({ state: "hidden" });
    expect(refusals).toBeGreaterThanOrEqual(firstAsked.size);
  });

  it("follows a release: a tile 404 unknown_render_version makes it re-read /meta", async () => {
    const context = await newContext();
    const page = await context.newPage();
    const errors = collectConsoleErrors(page);
    // The first /meta the page reads names a render version this server does not serve.
    let metaReads = 0;
    await page.route(/\/meta$/, async (route) => {
      const response = await route.fetch();
      const body = (await response.json()) as Meta;
      if (metaReads++ > 0) return route.fulfill({ response, json: body });
      const stale = {
        ...body,
        renderVersion: "r0-stale",
        tileUrlTemplate: body.tileUrlTemplate.replace(body.renderVersion, "r0-stale"),
      };
      return route.fulfill({ response, json: stale });
    });
    const staleStatuses: number[] = [];
    page.on("response", (response) => {
      if (response.url().includes("/tiles/r0-stale/")) staleStatuses.push(response.status());
    });

    await page.goto(`${viewer.server.url}/#z=2&re=-0.5&im=0&palette=${meta.defaultPalette}`);
    await page.waitForFunction(
      (version) =>
        [...document.querySelectorAll<HTMLImageElement>("img.leaflet-tile-loaded")].some(
          (img) => img.src.includes(`/tiles/${version}/`) && img.naturalWidth > 0,
        ),
      meta.renderVersion,
    );
    await waitForTiles(page, 2, meta.defaultPalette);
    expect(metaReads).toBeGreaterThanOrEqual(2);
    expect(staleStatuses.length).toBeGreaterThan(0);
    expect(staleStatuses.every((status) => status === 404)).toBe(true);
    await expect(page.getByRole("alert").isVisible()).resolves.toBe(false);
    // The only console errors are the stale tiles' 404s themselves.
    expect(errors.filter((e) => !/status of 404/.test(e))).toEqual([]);
  });
});
