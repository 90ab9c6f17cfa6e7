/**
 * Regenerates packages/render/golden.json for the current RENDER_VERSION:
 *
 *   npm run golden
 *
 * Run it after bumping RENDER_REVISION (or after changing a palette, budget or
 * encoder setting, which changes the version by itself), and commit the file.
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { RENDER_VERSION, computeGoldenHashes, tileLabel, type GoldenFile } from "../packages/render/index";

const path = fileURLToPath(new URL("../packages/render/golden.json", import.meta.url));
const golden: GoldenFile = {
  renderVersion: RENDER_VERSION,
  tiles: computeGoldenHashes().map(({ spec, sha256 }) => ({ tile: tileLabel(spec), sha256 })),
};
writeFileSync(path, `${JSON.stringify(golden, null, 2)}\n`);
for (const { tile, sha256 } of golden.tiles) console.log(`${tile.padEnd(26)} ${sha256}`);
console.log(`wrote ${path} for render version ${RENDER_VERSION}`);
