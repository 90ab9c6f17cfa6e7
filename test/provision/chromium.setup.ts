// vitest globalSetup of the browser suites: Chromium must be installable or installed.
import { provision } from "./host";
import { CHROMIUM } from "./requirements";

export default function setup(): void {
  provision([CHROMIUM]);
}
