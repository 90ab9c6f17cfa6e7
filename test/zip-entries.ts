// Reads a zip the way a user's unzip would: yauzl, an implementation independent of the fflate
// writer that assembles zoom sequences, so a malformed archive cannot pass by the writer's own
// leniency. Every entry's CRC-32 is checked against its bytes.

import { crc32 } from "node:zlib";
import { fromBufferPromise } from "yauzl";

export interface ZipEntry {
  name: string;
  bytes: Buffer;
}

export async function readZipEntries(archive: Uint8Array): Promise<ZipEntry[]> {
  const zip = await fromBufferPromise(Buffer.from(archive), { lazyEntries: true, validateEntrySizes: true });
  const entries: ZipEntry[] = [];
  try {
    for await (const entry of zip.eachEntry()) {
      const chunks: Buffer[] = [];
      for await (const chunk of await zip.openReadStreamPromise(entry)) chunks.push(chunk as Buffer);
      const bytes = Buffer.concat(chunks);
      if (crc32(bytes) !== entry.crc32) throw new Error(`zip entry ${entry.fileName}: CRC-32 does not match its bytes`);
      entries.push({ name: entry.fileName, bytes });
    }
  } finally {
    zip.close();
  }
  return entries;
}
