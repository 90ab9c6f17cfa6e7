// The built viewer served by the real local server, and a Chromium to open it: what every
// browser suite starts once (useViewerUnderTest).

import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { launchChromium } from "./chromium";
import { type LocalServer, startLocalServer } from "./local-server";

export const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));

export interface ViewerUnderTest {
  server: LocalServer;
  browser: Browser;
  stop(): Promise<void>;
}

export async function startViewerUnderTest(): Promise<ViewerUnderTest> {
  if (!existsSync(path.join(REPO_ROOT, "web/dist/index.html"))) {
    throw new Error("web/dist/index.html is missing: run `npm run build` first (npm test does).");
  }
  const server = await startLocalServer(REPO_ROOT);
  try {
    const browser = await launchChromium();
    return {
      server,
      browser,
      async stop() {
        await browser.close();
        await server.stop();
      },
    };
  } catch (error) {
    await server.stop();
    throw error;
  }
}

/**
 * The viewer under test for the calling suite: started in a beforeAll registered here (so before
 * the suite's own), stopped after the suite. Its server and browser are there from then on.
 */
export function useViewerUnderTest(): { readonly server: LocalServer; readonly browser: Browser } {
  let started: ViewerUnderTest | undefined;
  beforeAll(async () => {
    started = await startViewerUnderTest();
  });
  afterAll(async () => {
    await started?.stop();
  });
  const running = () => {
    if (!started) throw new Error("the viewer under test starts in beforeAll: use it in hooks and tests");
    return started;
  };
  return {
    get server() {
      return running().server;
    },
    get browser() {
      return running().browser;
    },
  };
}
