import { readFileSync, readdirSync } from "node:fs";
import { GRADIENT_ENTRIES } from "./packages/colour/palettes";
const files = readdirSync("/tmp").filter((f) => f.startsWith("deepx-smooth-")).sort();
for (const C of [0, 1, 2, 3]) {
  const out: string[] = [];
  for (const f of files) {
    const b = readFileSync("/tmp/" + f);
    const s = new Float32Array(b.buffer, b.byteOffset, b.length / 4);
    const idx = Array.from(s, (v) => (v >= 0 ? Math.floor((((C === 0 ? Math.sqrt(1 + v) / 6 : Math.log2(1 + v) * C)) % 1) * GRADIENT_ENTRIES) : -1));
    const hist = new Map<number, number>(); let n = 0, noisy = 0, pairs = 0;
    for (let i = 0; i < idx.length; i++) { if (idx[i] < 0) continue; n++; hist.set(idx[i], (hist.get(idx[i]) ?? 0) + 1);
      if (i % 256 < 255 && idx[i + 1] >= 0) { pairs++; const d = Math.abs(idx[i] - idx[i + 1]); if (Math.min(d, GRADIENT_ENTRIES - d) > 32) noisy++; } }
    let H = 0; for (const c of hist.values()) { const p = c / n; H -= p * Math.log2(p); }
    out.push(`${f.slice(13, -4)} H=${H.toFixed(1)} noise=${(100 * noisy / pairs).toFixed(1)}%`);
  }
  console.log("C", C, out.join(" | "));
}
