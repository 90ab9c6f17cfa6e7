/**
 * `npm run bench:export [-- --sizes 4096,8192,16384 --formats png,jpg,webp]`: posters through the
 * local export path (scripts/export.ts: parts on every core, streamed assembly), each in its own
 * process so its peak RSS is its own. The claim under test: peak memory does not grow with the
 * poster's area for png and jpg (streamed); webp holds the picture, so it runs only at sizes its
 * format limits allow (FORMAT_LIMITS) and shows the per-pixel cost those limits rest on.
 *
 * The location (centre 3+3i at zoom 6) lies wholly outside the set, so every pixel escapes within a
 * few iterations: the run measures the export machinery (parts, storage, encoding, assembly), not
 * the kernel, and finishes in minutes on a shared machine. `--re/--im/--zoom` override it.
 */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { formatSizeProblem, type PosterFormat } from "../packages/export/index";

const { values } = parseArgs({
  options: {
    re: { type: "string", default: "3" },
    im: { type: "string", default: "3" },
    zoom: { type: "string", default: "6" },
    sizes: { type: "string", default: "4096,8192,16384" },
    formats: { type: "string", default: "png,jpg" },
  },
});
const cli = fileURLToPath(new URL("./export.ts", import.meta.url));

interface Run {
  width: number;
  parts: number;
  bytes?: number;
  ms: number;
  maxRssMb: number;
}

function runOne(side: number, format: PosterFormat): Promise<Run> {
  const args = ["tsx", cli, "--re", values.re!, "--im", values.im!, "--zoom", values.zoom!];
  args.push("--width", String(side), "--height", String(side), "--format", format, "--json");
  return new Promise((resolve, reject) => {
    execFile("npx", args, { maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`${side}² ${format}: ${error.message}\n${stderr}`));
      resolve(JSON.parse(stdout.trim().split("\n").at(-1)!));
    });
  });
}

console.log(
  `poster exports at ${values.re}${values.im!.startsWith("-") ? "" : "+"}${values.im}i, zoom ${values.zoom} (one process each)`,
);
console.log("format side    Mpx   parts  time s  Mpx/s     MB  peak RSS MB");
const sizes = values.sizes!.split(",").map(Number);
for (const format of values.formats!.split(",") as PosterFormat[]) {
  const rows: Run[] = [];
  for (const side of sizes) {
    if (formatSizeProblem(format, side, side)) {
      console.log(`${format.padEnd(6)} ${String(side).padEnd(6)} (beyond the format's limits)`);
      continue;
    }
    const r = await runOne(side, format);
    rows.push(r);
    const mpx = (side * side) / 1e6;
    const megabytes = r.bytes === undefined ? "?" : (r.bytes / 1e6).toFixed(1);
    console.log(
      `${format.padEnd(6)} ${String(side).padEnd(6)} ${mpx.toFixed(1).padStart(5)} ${String(r.parts).padStart(6)} ${(r.ms / 1000).toFixed(1).padStart(7)} ${(mpx / (r.ms / 1000)).toFixed(1).padStart(6)} ${megabytes.padStart(6)} ${String(r.maxRssMb).padStart(12)}`,
    );
  }
  if (rows.length >= 2) {
    const [small, large] = [rows[0], rows.at(-1)!];
    console.log(
      `${format}: area ×${((large.width / small.width) ** 2).toFixed(1)}, peak RSS ×${(large.maxRssMb / small.maxRssMb).toFixed(2)}`,
    );
  }
}
