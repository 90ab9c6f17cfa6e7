import { renderDeepTile } from "./packages/deep/index";
import { DEEP_LOCATIONS } from "./packages/deep/locations";
import { iterationBudget } from "./packages/tile/budget";
import { writeFileSync } from "node:fs";
const only = process.argv[2];
for (const l of DEEP_LOCATIONS) {
  if (only && !l.name.includes(only)) continue;
  const maxIter = iterationBudget(l.zoom, 1);
  const t = performance.now();
  const r = renderDeepTile({ z: l.tile.z, x: l.tile.x, y: l.tile.y, scale: 1, maxIter });
  const s = Array.from(r.smooth).filter((v) => v >= 0).sort((a, b) => a - b);
  const q = (f: number) => s[Math.floor(f * (s.length - 1))]?.toFixed(1);
  console.log(l.name, "z", l.zoom, "ms", (performance.now() - t).toFixed(0), "interior", r.smooth.length - s.length, "p0", q(0), "p5", q(0.05), "p25", q(0.25), "p50", q(0.5), "p75", q(0.75), "p95", q(0.95), "p100", q(1), JSON.stringify(r.stats));
  writeFileSync(`/tmp/deepx-smooth-${l.zoom}-${l.kind}.bin`, Buffer.from(r.smooth.buffer));
}
