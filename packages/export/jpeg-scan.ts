/**
 * Where a baseline scan's data really ends. jpeg-js pads the last byte of a scan with 1-bits, as
 * JPEG asks, but when the data already ended on a byte boundary it still writes a whole byte of
 * padding (0xFF, stuffed as FF 00). At the end of a file decoders ignore it; before a restart
 * marker libjpeg warns of "extraneous bytes" and pdf.js-derived decoders (jpeg-js's own) stop.
 * Whether a trailing FF 00 is that padding or data cannot be seen from the bytes, so this walks
 * the scan's Huffman codes (no coefficients decoded, just their lengths) to count its bits.
 */

/** A canonical Huffman table in the form JPEG decoders use (ITU T.81 F.2.2.3). */
interface HuffmanTable {
  maxCode: Int32Array; // by code length 1..16; -1 when no code has that length
  valueOffset: Int32Array;
  values: Uint8Array;
}

export interface BaselineScan {
  /** One entry per component in the scan, in MCU order: its DC and AC tables. */
  components: { dc: HuffmanTable; ac: HuffmanTable }[];
}

/** Reads the Huffman tables (DHT) and the scan's table choices (SOS) of a baseline JPEG header. */
export function baselineScan(header: Uint8Array, scanHeader: Uint8Array): BaselineScan {
  const dc = new Map<number, HuffmanTable>();
  const ac = new Map<number, HuffmanTable>();
  let at = 2;
  while (at + 4 <= header.length) {
    const marker = header[at + 1];
    const length = (header[at + 2] << 8) | header[at + 3];
    if (marker === 0xc4) {
      let p = at + 4;
      while (p < at + 2 + length) {
        const kind = header[p] >> 4;
        const id = header[p] & 15;
        const counts = header.subarray(p + 1, p + 17);
        const total = counts.reduce((n, c) => n + c, 0);
        const table = huffmanTable(counts, header.subarray(p + 17, p + 17 + total));
        (kind === 0 ? dc : ac).set(id, table);
        p += 17 + total;
      }
    }
    at += 2 + length;
  }
  const count = scanHeader[4];
  const components = [];
  for (let i = 0; i < count; i++) {
    const choice = scanHeader[6 + i * 2];
    const dcTable = dc.get(choice >> 4);
    const acTable = ac.get(choice & 15);
    if (!dcTable || !acTable) throw new Error("jpeg scan: the header lacks a Huffman table the scan uses");
    components.push({ dc: dcTable, ac: acTable });
  }
  return { components };
}

function huffmanTable(counts: Uint8Array, values: Uint8Array): HuffmanTable {
  const maxCode = new Int32Array(17).fill(-1);
  const valueOffset = new Int32Array(17);
  let code = 0;
  let index = 0;
  for (let length = 1; length <= 16; length++) {
    const n = counts[length - 1];
    if (n > 0) {
      valueOffset[length] = index - code;
      code += n;
      index += n;
      maxCode[length] = code - 1;
    }
    code <<= 1;
  }
  return { maxCode, valueOffset, values: values.slice() };
}

/**
 * The length in bytes (as stored, with stuffing) of the entropy-coded data that `mcus` MCUs of
 * one block per component (4:4:4) occupy, padding to the byte boundary included, and no more.
 */
export function scanDataLength(entropy: Uint8Array, scan: BaselineScan, mcus: number): number {
  let at = 0; // next stored byte
  let byte = 0;
  let bitsLeft = 0;
  const bit = (): number => {
    if (bitsLeft === 0) {
      if (at >= entropy.length) throw new Error("jpeg scan: the data ends inside a block");
      byte = entropy[at++];
      if (byte === 0xff) at++; // the stuffed 00
      bitsLeft = 8;
    }
    bitsLeft--;
    return (byte >> bitsLeft) & 1;
  };
  const skip = (n: number) => {
    for (let i = 0; i < n; i++) bit();
  };
  const symbol = (table: HuffmanTable): number => {
    let code = 0;
    for (let length = 1; length <= 16; length++) {
      code = (code << 1) | bit();
      if (code <= table.maxCode[length]) return table.values[table.valueOffset[length] + code];
    }
    throw new Error("jpeg scan: no Huffman code matches");
  };
  for (let mcu = 0; mcu < mcus; mcu++) {
    for (const { dc, ac } of scan.components) {
      skip(symbol(dc));
      for (let k = 1; k < 64; k++) {
        const rs = symbol(ac);
        const size = rs & 15;
        if (size === 0) {
          if (rs === 0xf0) {
            k += 15; // sixteen zeros
            continue;
          }
          break; // end of block
        }
        k += rs >> 4;
        skip(size);
      }
    }
  }
  return at;
}
