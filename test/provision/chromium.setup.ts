// vitest globalSetup of the browser suites: Chromium must be installable or installed.
import { provisionOrReport } from "./host";
import { CHROMIUM } from "./requirements";

export default function setup(): void {
  provisionOrReport([CHROMIUM]);
}
