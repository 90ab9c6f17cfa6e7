// A WebP file's container and picture size, read straight off its bytes (RIFF container, then the
// first chunk: lossy VP8, lossless VP8L or extended VP8X; Google's "WebP Container Specification"
// and RFC 6386 §9.1). Independent of Skia's decoder, which wrote the file, so a header that is
// wrong but happens to decode there cannot pass.

export interface WebpHeader {
  chunk: "VP8 " | "VP8L" | "VP8X";
  width: number;
  height: number;
}

export function readWebpHeader(bytes: Uint8Array): WebpHeader {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const ascii = (at: number) => buffer.toString("latin1", at, at + 4);
  if (buffer.length < 30 || ascii(0) !== "RIFF" || ascii(8) !== "WEBP") throw new Error("not a RIFF/WEBP file");
  if (buffer.readUInt32LE(4) !== buffer.length - 8) throw new Error("the RIFF size is not the file's size − 8");
  const chunk = ascii(12);
  if (chunk === "VP8 ") {
    // Frame tag (3 bytes), then the key frame's start code 9d 01 2a, then 14-bit width and height.
    if (buffer[23] !== 0x9d || buffer[24] !== 0x01 || buffer[25] !== 0x2a) throw new Error("VP8: no start code");
    return { chunk, width: buffer.readUInt16LE(26) & 0x3fff, height: buffer.readUInt16LE(28) & 0x3fff };
  }
  if (chunk === "VP8L") {
    if (buffer[20] !== 0x2f) throw new Error("VP8L: no signature");
    const bits = buffer.readUInt32LE(21);
    return { chunk, width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  if (chunk === "VP8X") return { chunk, width: buffer.readUIntLE(24, 3) + 1, height: buffer.readUIntLE(27, 3) + 1 };
  throw new Error(`unknown first chunk ${JSON.stringify(chunk)}`);
}
