/**
 * Shape check shared by the stores: a key is a relative, slash-separated path
 * of plain segments. Keys come from `tileKey()`, never from clients, so a key
 * that fails this is a programming error and throws.
 */
const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._@-]*$/;

export class InvalidKeyError extends Error {
  constructor(key: string) {
    super(`invalid store key ${JSON.stringify(key)}: expected relative path of [A-Za-z0-9._@-] segments, no "..", no leading dot`);
    this.name = "InvalidKeyError";
  }
}

export function assertSafeKey(key: string): void {
  if (key.length === 0 || key.length > 512) throw new InvalidKeyError(key);
  for (const segment of key.split("/")) {
    if (!SEGMENT.test(segment)) throw new InvalidKeyError(key);
  }
}
