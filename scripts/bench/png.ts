// PNG section of `npm run bench`: encode time (median) and size per palette on a few tiles,
// with the target for the seahorse z4 tile in the default palette flagged. Every encoded
// tile is decoded again (pngjs) and compared with its intended pixels.
import { PNG } from "pngjs";
import { DEFAULT_PALETTE, PALETTES } from "../../packages/render/index";
import { colourTable, paletteIndices } from "../../packages/colour/index";
import { encodeIndexedPng } from "../../packages/png/index";
import { iterationBudget, tileBounds, type TileScale } from "../../packages/tile/index";
import { getKernel, warmUpKernel } from "../../packages/kernel/index";

/** Issue 2's target for the seahorse z4 tile in the default palette. */
export const PNG_TARGET = { tile: "seahorse z4", maxMs: 1.5, maxBytes: 18 * 1024 } as const;

const TILES: { name: string; z: number; x: number; y: number; scale: TileScale }[] = [
  { name: "seahorse z4", z: 4, x: 7, y: 7, scale: 1 },
  { name: "overview z0", z: 0, x: 0, y: 0, scale: 1 },
  { name: "elephant z4", z: 4, x: 11, y: 7, scale: 1 },
  { name: "seahorse z20", z: 20, x: 460417, y: 489730, scale: 1 },
  { name: "seahorse z4 @2x", z: 4, x: 7, y: 7, scale: 2 },
];

const RUNS = 31;

export interface PngBenchRow {
  tile: string;
  palette: string;
  bytes: number;
  medianMs: number;
  /** Set on the row the target applies to. */
  meetsTarget?: boolean;
  decodesCorrectly: boolean;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function decodesTo(bytes: Uint8Array, indices: Uint8Array, rgb: Uint8Array): boolean {
  const { data } = PNG.sync.read(Buffer.from(bytes));
  for (let i = 0; i < indices.length; i++) {
    const e = indices[i] * 3;
    if (
      data[i * 4] !== rgb[e] ||
      data[i * 4 + 1] !== rgb[e + 1] ||
      data[i * 4 + 2] !== rgb[e + 2] ||
      data[i * 4 + 3] !== 255
    )
      return false;
  }
  return true;
}

/** Measures encoding only (indices → PNG bytes); the kernel and colour mapping are outside the timing. */
export function measurePngEncoding(progress: (line: string) => void = () => {}): PngBenchRow[] {
  warmUpKernel();
  const kernel = getKernel();
  const rows: PngBenchRow[] = [];
  for (const tile of TILES) {
    const bounds = tileBounds(tile.z, tile.x, tile.y, tile.scale);
    const indices = paletteIndices(kernel.render({ ...bounds, maxIter: iterationBudget(tile.z, tile.scale) }).smooth);
    for (const palette of PALETTES) {
      progress(`png: ${tile.name} ${palette}`);
      const image = { width: bounds.width, height: bounds.height, indices, paletteRgb: colourTable(palette).rgb };
      let bytes = encodeIndexedPng(image);
      const times: number[] = [];
      for (let run = 0; run < RUNS; run++) {
        const start = performance.now();
        bytes = encodeIndexedPng(image);
        times.push(performance.now() - start);
      }
      const row: PngBenchRow = {
        tile: tile.name,
        palette,
        bytes: bytes.length,
        medianMs: median(times),
        decodesCorrectly: decodesTo(bytes, indices, image.paletteRgb),
      };
      if (tile.name === PNG_TARGET.tile && palette === DEFAULT_PALETTE) {
        row.meetsTarget = row.medianMs <= PNG_TARGET.maxMs && row.bytes <= PNG_TARGET.maxBytes;
      }
      rows.push(row);
    }
  }
  return rows;
}

export function formatPngTable(rows: PngBenchRow[]): string {
  const lines = [`${"tile".padEnd(17)} ${"palette".padEnd(10)} ${"KB".padStart(6)} ${"ms".padStart(6)}  note`];
  for (const r of rows) {
    const notes: string[] = [];
    if (r.meetsTarget !== undefined) {
      notes.push(
        `${r.meetsTarget ? "meets" : "MISSES"} target ≤ ${PNG_TARGET.maxMs} ms, ≤ ${PNG_TARGET.maxBytes / 1024} KB`,
      );
    }
    if (!r.decodesCorrectly) notes.push("DECODES WRONG");
    lines.push(
      `${r.tile.padEnd(17)} ${r.palette.padEnd(10)} ${(r.bytes / 1024).toFixed(1).padStart(6)} ${r.medianMs.toFixed(2).padStart(6)}  ${notes.join("; ")}`,
    );
  }
  lines.push(`(indexed PNG, filter Up, node:zlib Z_RLE; median of ${RUNS} encodes, single-threaded)`);
  return lines.join("\n");
}

/** Bench section: prints the table; fails only when a PNG does not decode to its pixels. */
export function runPngBench(log: (text: string) => void, progress: (line: string) => void): boolean {
  const rows = measurePngEncoding(progress);
  log(formatPngTable(rows));
  return rows.every((r) => r.decodesCorrectly);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runPngBench(console.log, () => {});
}
