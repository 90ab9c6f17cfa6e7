// Chromium for the browser tests, launched the same way by every suite.

import { chromium, type Browser } from "playwright-core";
import { executableOf } from "../../test/provision/host";
import { CHROMIUM } from "../../test/provision/requirements";

export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
  "--disable-sync",
  "--disable-quic",
];

/**
 * The browser project's globalSetup provisions Chromium (test/provision); this finds it on
 * PATH, or throws with the install command. launch() gives every run a fresh temporary
 * profile (user-data dir).
 */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: executableOf(CHROMIUM), args: CHROMIUM_ARGS });
}
