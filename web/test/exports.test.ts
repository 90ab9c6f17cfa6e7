// "Export poster" and "Export zoom" in a real browser against the real local server, whose
// in-process queue renders the jobs on its render pool: click, watch the progress bar until the
// job is done, follow the download link, and check the file is what was asked for.

import { readFile } from "node:fs/promises";
import { loadImage } from "@napi-rs/canvas";
import type { BrowserContext, Page } from "playwright-core";
import { PNG } from "pngjs";
import { afterEach, describe, expect, it } from "vitest";
import { FORMAT_LIMITS } from "../../packages/export/limits";
import { readWebpHeader } from "../../test/webp-header";
import { readZipEntries } from "../../test/zip-entries";
import { collectConsoleErrors } from "./page-probes";
import { useViewerUnderTest } from "./viewer-under-test";

const VIEWPORT = { width: 1280, height: 720 };
// The whole set, mostly outside it: cheap pixels, so the jobs take seconds on shared cores.
const VIEW_HASH = "#z=2&re=-0.5&im=0&palette=magma";
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
// SOI, then the first marker's FF (ITU T.81 B.1.1): every JPEG file starts so.
const JPEG_MAGIC = Buffer.from([0xff, 0xd8, 0xff]);
// A job's wait: generous, the two cores are shared with every other suite under `npm test`.
const JOB_TIMEOUT_MS = 150_000;

const viewer = useViewerUnderTest();
const contexts: BrowserContext[] = [];

afterEach(async () => {
  await Promise.all(contexts.splice(0).map((context) => context.close()));
});

async function openViewer(): Promise<{ page: Page; errors: string[] }> {
  const context = await viewer.browser.newContext({ viewport: VIEWPORT, acceptDownloads: true });
  context.setDefaultTimeout(45_000);
  contexts.push(context);
  const page = await context.newPage();
  const errors = collectConsoleErrors(page);
  await page.goto(`${viewer.server.url}/${VIEW_HASH}`);
  await page.waitForFunction(() => location.hash.includes("z="));
  return { page, errors };
}

/** Picks the smallest option of a select (the fastest export) and returns its value. */
async function chooseSmallest(page: Page, select: string): Promise<number> {
  const values = await page.$$eval(`${select} option`, (options) =>
    options.map((o) => Number((o as HTMLOptionElement).value)),
  );
  const smallest = Math.min(...values);
  await page.selectOption(select, String(smallest));
  return smallest;
}

interface Snapshot {
  progress: number;
  progressHidden: boolean;
  note: string;
}

/** Records every change of a section's progress bar and note, from now on. */
async function recordProgress(page: Page, progress: string, note: string): Promise<void> {
  await page.evaluate(
    ({ progress, note }) => {
      const bar = document.querySelector<HTMLProgressElement>(progress)!;
      const output = document.querySelector<HTMLOutputElement>(note)!;
      const seen: Snapshot[] = [];
      (window as unknown as { exportSnapshots: Snapshot[] }).exportSnapshots = seen;
      const record = () => seen.push({ progress: bar.value, progressHidden: bar.hidden, note: output.value });
      const observer = new MutationObserver(record);
      observer.observe(bar, { attributes: true, attributeFilter: ["value", "hidden"] });
      observer.observe(output, { childList: true, characterData: true, subtree: true });
    },
    { progress, note },
  );
}

const snapshots = (page: Page) =>
  page.evaluate(() => (window as unknown as { exportSnapshots: Snapshot[] }).exportSnapshots);

/**
 * Clicks the export button and waits until the job is done and its link shown; checks the
 * progress bar showed while the job ran, only moved forward and reached 1; returns the link.
 */
async function exportAndWait(page: Page, ids: { button: string; progress: string; link: string; note: string }) {
  await recordProgress(page, ids.progress, ids.note);
  await page.click(ids.button);
  await page.waitForFunction(
    ({ link, note }) => {
      const text = document.querySelector<HTMLOutputElement>(note)!.value;
      if (text.startsWith("Export failed")) throw new Error(text);
      return !document.querySelector<HTMLAnchorElement>(link)!.hidden && text.endsWith(": done");
    },
    { link: ids.link, note: ids.note },
    { timeout: JOB_TIMEOUT_MS, polling: 100 },
  );
  const seen = await snapshots(page);
  expect(seen[0].note).toMatch(/: queued$/);
  const whileRunning = seen.filter((s) => !s.progressHidden);
  expect(whileRunning.length).toBeGreaterThan(0);
  const values = whileRunning.map((s) => s.progress);
  for (let i = 1; i < values.length; i++) expect(values[i]).toBeGreaterThanOrEqual(values[i - 1]);
  expect(Math.max(...values)).toBe(1);
  expect(seen.at(-1)!.progressHidden).toBe(true);
  expect(await page.isDisabled(ids.button)).toBe(false);
}

/** Follows the download link as a user does (a click) and returns the file's name and bytes. */
async function download(page: Page, link: string): Promise<{ name: string; bytes: Buffer }> {
  const [file] = await Promise.all([page.waitForEvent("download"), page.click(link)]);
  const failure = await file.failure();
  if (failure) throw new Error(`download of ${file.url()} failed: ${failure}`);
  return { name: file.suggestedFilename(), bytes: await readFile(await file.path()) };
}

/** The size an export of long side `side` has in this viewport's proportions. */
function sizeFor(side: number): [number, number] {
  return [side, Math.round((side * VIEWPORT.height) / VIEWPORT.width)];
}

describe("exports from the viewer", { timeout: 240_000 }, () => {
  /**
   * Opens the poster section (ticking "Line up with the tiles" and choosing a format when asked),
   * exports the smallest preset, downloads it; returns the bodies the page sent to POST /exports.
   */
  async function exportPoster(options: { align: boolean; format?: string }) {
    const { page, errors } = await openViewer();
    const submitted: unknown[] = [];
    page.on("request", (request) => {
      if (request.method() === "POST" && new URL(request.url()).pathname === "/exports") {
        submitted.push(request.postDataJSON());
      }
    });
    await page.click("#poster-section > summary");
    await page.waitForSelector("#export-poster:not([disabled])");
    if (options.align) await page.check("#poster-align");
    if (options.format) await page.selectOption("#poster-format", options.format);
    const side = await chooseSmallest(page, "#poster-size");
    await exportAndWait(page, {
      button: "#export-poster",
      progress: "#poster-progress",
      link: "#poster-link",
      note: "#poster-note",
    });
    const href = await page.getAttribute("#poster-link", "href");
    const { name, bytes } = await download(page, "#poster-link");
    return { side, href, name, bytes, submitted, errors };
  }

  it("exports a poster: progress to done, then a link to a PNG of the chosen size", async () => {
    const { side, href, name, bytes, errors } = await exportPoster({ align: false });
    expect(href).toMatch(/\/exports\/[0-9a-f-]{36}\/poster\.png$/);
    expect(name).toMatch(/^fractile-magma-.*\.png$/);
    expect(bytes.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    const png = PNG.sync.read(bytes, { checkCRC: true });
    expect([png.width, png.height]).toEqual(sizeFor(side));
    expect(errors).toEqual([]);
  });

  it("offers the server's poster formats and exports the chosen one: a jpg job, a JPEG download", async () => {
    const { side, href, name, bytes, submitted, errors } = await exportPoster({ align: false, format: "jpg" });
    expect(submitted).toEqual([expect.objectContaining({ format: "jpg", width: sizeFor(side)[0] })]);
    expect(href).toMatch(/\/exports\/[0-9a-f-]{36}\/poster\.jpg$/);
    expect(name).toMatch(/^fractile-magma-.*\.jpg$/);
    expect(bytes.subarray(0, 3).equals(JPEG_MAGIC)).toBe(true);
    // Decoded by Skia (libjpeg-turbo), not by jpeg-js, which wrote it.
    const image = await loadImage(bytes);
    expect([image.width, image.height]).toEqual(sizeFor(side));
    expect(errors).toEqual([]);
  });

  it("says what a preset becomes in a format that holds less (webp: 16383 px a side, 100 Mpx)", async () => {
    const { page, errors } = await openViewer();
    await page.click("#poster-section > summary");
    await page.waitForSelector("#poster-format:not([disabled])");
    const formats = await page.$$eval("#poster-format option", (options) =>
      options.map((o) => (o as HTMLOptionElement).value),
    );
    expect(formats).toEqual(Object.keys(FORMAT_LIMITS)); // what /meta's exportLimits.formats lists
    const labels = () =>
      page.$$eval("#poster-size option", (options) =>
        options.map((o) => [(o as HTMLOptionElement).value, o.textContent]),
      );
    expect(await labels()).toEqual([
      ["4096", "4096 px"],
      ["8192", "8192 px"],
      ["16384", "16384 px"],
    ]);
    await page.selectOption("#poster-format", "webp");
    const webp = Object.fromEntries(await labels());
    expect(webp["4096"]).toBe("4096 px");
    expect(webp["8192"]).toBe("8192 px");
    const long = Number(/^16384→(\d+)$/.exec(webp["16384"] ?? "")?.[1]);
    const short = Math.round((long * VIEWPORT.height) / VIEWPORT.width);
    expect(long).toBeLessThanOrEqual(FORMAT_LIMITS.webp.maxSide);
    expect(long * short).toBeLessThanOrEqual(FORMAT_LIMITS.webp.maxPixels);
    expect((long + 1) * (short + 1)).toBeGreaterThan(FORMAT_LIMITS.webp.maxPixels); // the largest that fits
    // Its tooltip says why; the presets webp holds have none.
    const titles = await page.$$eval("#poster-size option", (options) =>
      options.map((o) => (o as HTMLOptionElement).title),
    );
    expect(titles[2]).toContain(`WebP holds at most ${FORMAT_LIMITS.webp.maxSide} px a side`);
    expect(titles.slice(0, 2)).toEqual(["", ""]);
    await page.selectOption("#poster-format", "png");
    expect(Object.fromEntries(await labels())["16384"]).toBe("16384 px");
    expect(errors).toEqual([]);
  });

  it("exports a poster lined up with the tiles: a whole zoom level, the same size, a PNG", async () => {
    const { side, name, bytes, errors } = await exportPoster({ align: true });
    // The whole set at z2 in 1280 × 720 px is, at 4096 px, zoom 3.68: lined up, the job is at zoom 4
    // (the framed poster's name says z3.68).
    expect(name).toMatch(/^fractile-magma-z4\.00-.*\.png$/);
    const png = PNG.sync.read(bytes, { checkCRC: true });
    expect([png.width, png.height]).toEqual(sizeFor(side));
    expect(errors).toEqual([]);
  });

  it.each(["png", "webp"] as const)(
    "exports a zoom sequence of %s frames: progress to done, then a link to a zip of numbered frames",
    async (format) => {
      const { page, errors } = await openViewer();
      await page.click("#zoom-section > summary");
      await page.waitForSelector("#export-zoom:not([disabled])");
      const frames = await chooseSmallest(page, "#zoom-frames");
      const side = await chooseSmallest(page, "#zoom-size");
      await page.selectOption("#zoom-format", format);

      await exportAndWait(page, {
        button: "#export-zoom",
        progress: "#zoom-progress",
        link: "#zoom-link",
        note: "#zoom-note",
      });

      const { name, bytes } = await download(page, "#zoom-link");
      expect(name).toMatch(/^fractile-magma-.*\.zip$/);
      const entries = await readZipEntries(bytes);
      expect(entries).toHaveLength(frames);
      // Numbered in playing order, zero-padded to one width so that any tool sorts them right.
      const numbers = entries.map((entry) => new RegExp(`^frame-(\\d+)\\.${format}$`).exec(entry.name)?.[1]);
      expect(numbers.map(Number)).toEqual([...Array(frames).keys()]);
      expect(new Set(numbers.map((digits) => digits?.length)).size).toBe(1);
      const distinct = new Set<string>();
      for (const entry of entries) {
        if (format === "png") {
          expect(entry.bytes.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
          const png = PNG.sync.read(entry.bytes, { checkCRC: true });
          expect([png.width, png.height]).toEqual(sizeFor(side));
          distinct.add(png.data.toString("base64"));
        } else {
          const { width, height } = readWebpHeader(entry.bytes);
          expect([width, height]).toEqual(sizeFor(side));
          distinct.add(entry.bytes.toString("base64"));
        }
      }
      // From the whole set to the current view: the frames change as the zoom goes in.
      expect(distinct.size).toBeGreaterThan(frames / 2);
      expect(errors).toEqual([]);
    },
  );
});
