// vitest globalSetup of the S3 suites: a real radosgw must be installable or installed.
import { provision } from "./host";
import { RADOSGW } from "./requirements";

export default function setup(): void {
  provision([RADOSGW]);
}
