// vitest globalSetup of the S3 suites: a real radosgw must be installable or installed.
import { provisionOrReport } from "./host";
import { RADOSGW } from "./requirements";

export default function setup(): void {
  provisionOrReport([RADOSGW]);
}
