import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { VIEWER_CSP } from "../../stacks/parts/response-headers";
import { useViewerUnderTest } from "./viewer-under-test";
import { collectConsoleErrors } from "./page-probes";

/** Paths CloudFront sends to the API or the tile bucket; everything else is a viewer file. */
const API_PATHS = /^\/(tiles\/|meta$|health$|render\.)/;

const viewer = useViewerUnderTest();

interface Opened {
  page: Page;
  errors: string[];
  violations: () => Promise<string[]>;
}

async function openWithPolicy(csp: string): Promise<Opened> {
  const context = await viewer.browser.newContext({ viewport: { width: 800, height: 600 } });
  context.setDefaultTimeout(45_000);
  await context.route("**/*", async (route) => {
    const response = await route.fetch();
    const viewerFile = !API_PATHS.test(new URL(route.request().url()).pathname);
    const headers = viewerFile ? { ...response.headers(), "content-security-policy": csp } : response.headers();
    await route.fulfill({ response, headers });
  });
  await context.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = seen;
    document.addEventListener("securitypolicyviolation", (e) => seen.push(`${e.effectiveDirective} ${e.blockedURI}`));
  });
  const page = await context.newPage();
  const errors = collectConsoleErrors(page);
  await page.goto(`${viewer.server.url}/`);
  return {
    page,
    errors,
    violations: () => page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations),
  };
}

/** Tiles still loading when a test ends are in the route handler: let them fail quietly, then close. */
async function closeContext(page: Page): Promise<void> {
  await page.context().unrouteAll({ behavior: "ignoreErrors" });
  await page.context().close();
}

describe("the viewer under the deployed CSP", () => {
  it("loads and shows decoded tiles with no violation and a clean console", async () => {
    const { page, errors, violations } = await openWithPolicy(VIEWER_CSP);
    await page.waitForFunction(() => location.hash.includes("z="));
    await page.waitForFunction(() =>
      [...document.querySelectorAll<HTMLImageElement>("img.leaflet-tile-loaded")].some((img) => img.naturalWidth > 0),
    );
    // The palette list comes from /meta (a fetch): connect-src works.
    expect(await page.locator("#palette option").count()).toBeGreaterThan(1);
    expect(await violations()).toEqual([]);
    expect(errors).toEqual([]);
    await closeContext(page);
  });

  it("reports violations when the policy is narrower (the check is not vacuous)", async () => {
    const { page, violations } = await openWithPolicy(VIEWER_CSP.replace("connect-src 'self'", "connect-src 'none'"));
    await page.waitForFunction(() => (window as unknown as { cspViolations: string[] }).cspViolations.length > 0);
    expect((await violations()).some((v) => v.startsWith("connect-src"))).toBe(true);
    await closeContext(page);
  });
});
