/**
 * `npm run bench:export`: posters of 4096², 8192² and 16384² through the local export path
 * (scripts/export.ts: parts on every core, streamed PNG assembly), each in its own process so its
 * peak RSS is its own. The claim under test: peak memory does not grow with the poster's area.
 *
 * The location (centre 3+3i at zoom 6) lies wholly outside the set, so every pixel escapes within a
 * few iterations: the run measures the export machinery (parts, storage, deflate, assembly), not
 * the kernel, and finishes in minutes on a shared machine. `--re/--im/--zoom` override it.
 */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    re: { type: "string", default: "3" },
    im: { type: "string", default: "3" },
    zoom: { type: "string", default: "6" },
    sizes: { type: "string", default: "4096,8192,16384" },
  },
});
const cli = fileURLToPath(new URL("./export.ts", import.meta.url));

function runOne(side: number): Promise<{ width: number; parts: number; ms: number; maxRssMb: number }> {
  const args = [
    "tsx",
    cli,
    "--re",
    values.re!,
    "--im",
    values.im!,
    "--zoom",
    values.zoom!,
    "--width",
    String(side),
    "--height",
    String(side),
    "--json",
  ];
  return new Promise((resolve, reject) => {
    execFile("npx", args, { maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`${side}²: ${error.message}\n${stderr}`));
      resolve(JSON.parse(stdout.trim().split("\n").at(-1)!));
    });
  });
}

console.log(
  `poster exports at ${values.re}${values.im!.startsWith("-") ? "" : "+"}${values.im}i, zoom ${values.zoom} (one process each)`,
);
console.log("side    Mpx   parts  time s  Mpx/s  peak RSS MB");
const rows = [];
for (const side of values.sizes!.split(",").map(Number)) {
  const r = await runOne(side);
  rows.push(r);
  const mpx = (side * side) / 1e6;
  console.log(
    `${String(side).padEnd(6)} ${mpx.toFixed(1).padStart(5)} ${String(r.parts).padStart(6)} ${(r.ms / 1000).toFixed(1).padStart(7)} ${(mpx / (r.ms / 1000)).toFixed(1).padStart(6)} ${String(r.maxRssMb).padStart(12)}`,
  );
}
const [small, large] = [rows[0], rows.at(-1)!];
const areaRatio = (large.width / small.width) ** 2;
console.log(`area ×${areaRatio}, peak RSS ×${(large.maxRssMb / small.maxRssMb).toFixed(2)}`);
