import * as zlib from "node:zlib";

/**
 * CRC-32 (ISO 3309, as PNG chunks need it). node:zlib exports a native crc32
 * from Node 20.15 / 22.2 on; older runtimes get the classic table-driven loop,
 * which gives the same numbers.
 */
type Crc32 = (data: Uint8Array, initial?: number) => number;

const TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32Table(data: Uint8Array, initial = 0): number {
  let c = (initial ^ 0xffffffff) >>> 0;
  for (let i = 0; i < data.length; i++) c = TABLE[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const native = (zlib as unknown as { crc32?: Crc32 }).crc32;

export const crc32: Crc32 = typeof native === "function" ? (data, initial = 0) => native(data, initial) >>> 0 : crc32Table;
