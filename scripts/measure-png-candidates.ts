/**
 * Compares PNG encoder candidates (deflate implementation × scanline filter)
 * on a few tiles: bytes and median ms per encode. The numbers chose the
 * encoder in packages/png/index.ts.
 *
 *   npm run measure:png
 *
 * fflate and pako are not dependencies of fractile; they are measured when
 * some other package happens to have installed them, and skipped otherwise.
 */
import * as zlib from "node:zlib";
import { colourTable, paletteIndices } from "../packages/colour/index";
import { getKernel } from "../packages/kernel/index";
import { encodeIndexedPngWith, type Compressor, type FilterChoice } from "../packages/png/index";
import { iterationBudget, tileBounds } from "../packages/tile/index";

const TILES: [string, number, number, number][] = [
  ["seahorse z4", 4, 7, 7],
  ["overview z0", 0, 0, 0],
  ["elephant z4", 4, 11, 7],
  ["seahorse z20", 20, 460417, 489730],
];
const FILTERS: FilterChoice[] = ["none", "sub", "up"];
const RUNS = 40;

// biome-ignore lint/suspicious/noExplicitAny: the candidate encoders are optional, untyped modules
async function optional(name: string): Promise<any> {
  try {
    return await import(name);
  } catch {
    return undefined;
  }
}

async function candidates(): Promise<Record<string, Compressor>> {
  const C = zlib.constants;
  const out: Record<string, Compressor> = {
    "zlib Z_RLE l9": (d) => zlib.deflateSync(d, { level: 9, strategy: C.Z_RLE }),
    "zlib Z_RLE l1": (d) => zlib.deflateSync(d, { level: 1, strategy: C.Z_RLE }),
    "zlib Z_HUFFMAN_ONLY": (d) => zlib.deflateSync(d, { strategy: C.Z_HUFFMAN_ONLY }),
    "zlib default l6": (d) => zlib.deflateSync(d, { level: 6 }),
    "zlib default l1": (d) => zlib.deflateSync(d, { level: 1 }),
  };
  const fflate = await optional("fflate");
  if (fflate) for (const level of [1, 6]) out[`fflate l${level}`] = (d) => fflate.zlibSync(d, { level });
  const pako = (await optional("pako"))?.default;
  if (pako) out["pako l6"] = (d) => pako.deflate(d, { level: 6 });
  return out;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1];
}

const kernel = getKernel();
const paletteRgb = colourTable("classic").rgb;
const compressors = await candidates();
for (const [name, z, x, y] of TILES) {
  const indices = paletteIndices(kernel.render({ ...tileBounds(z, x, y, 1), maxIter: iterationBudget(z, 1) }).smooth);
  const image = { width: 256, height: 256, indices, paletteRgb };
  console.log(`\n${name} (KB / median ms)`);
  for (const [label, compress] of Object.entries(compressors)) {
    const cells = FILTERS.map((filter) => {
      let bytes = encodeIndexedPngWith(image, { filter, compress });
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const t0 = performance.now();
        bytes = encodeIndexedPngWith(image, { filter, compress });
        times.push(performance.now() - t0);
      }
      return `${filter} ${(bytes.length / 1024).toFixed(1)} / ${median(times).toFixed(2)}`;
    });
    console.log(`  ${label.padEnd(20)} ${cells.join("   ")}`);
  }
}
