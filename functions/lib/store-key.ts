/**
 * Shape check shared by the stores: a key is a relative, slash-separated path
 * of plain segments. Keys come from `tileKey()`, never from clients, so a key
 * that fails this is a programming error and throws.
 */
const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._@-]*$/;

export class InvalidKeyError extends Error {
  constructor(key: string) {
    super(
      `invalid store key ${JSON.stringify(key)}: expected relative path of [A-Za-z0-9._@-] segments, no "..", no leading dot`,
    );
    this.name = "InvalidKeyError";
  }
}

export function assertSafeKey(key: string): void {
  // S3's own limit: the deepest tile's key is sized to fit it (packages/tile/grid.ts, MAX_ZOOM).
  if (key.length === 0 || key.length > 1024) throw new InvalidKeyError(key);
  for (const segment of key.split("/")) {
    if (!SEGMENT.test(segment)) throw new InvalidKeyError(key);
  }
}

/** Tiles are PNG; anything else a store keeps (reference orbits) is opaque bytes. */
export function contentTypeOfKey(key: string): string {
  return key.endsWith(".png") ? "image/png" : "application/octet-stream";
}

const METADATA_NAME = /^[a-z0-9][a-z0-9-]{0,63}$/;
const METADATA_VALUE = /^[\x20-\x7e]{0,256}$/;

/** Metadata comes from the render core, never from clients; a bad entry is a programming error. */
export function assertSafeMetadata(metadata: Readonly<Record<string, string>>): void {
  for (const [name, value] of Object.entries(metadata)) {
    if (!METADATA_NAME.test(name) || !METADATA_VALUE.test(value)) {
      throw new Error(`invalid object metadata ${JSON.stringify(name)}: ${JSON.stringify(value)}`);
    }
  }
}
