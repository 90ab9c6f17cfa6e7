/**
 * How deep do float64 tiles stay honest? Renders sample pixels of tiles along
 * the seahorse-valley path (the benchmark workload's deep tiles) with the
 * product's float64 iteration and with a double-double (≈106 bit) reference
 * from the *same* pixel centres, and prints the share of pixels whose escape
 * count differs. The budget is the product's budget for each zoom and scale.
 *
 *   npm run measure:max-zoom -- [fromZoom] [toZoom] [sampleStride] [re] [im]
 *
 * The default target point is the workload's seahorse-valley path.
 *
 * The result chose MAX_ZOOM (packages/tile/grid.ts).
 */
import { iterationBudget, tileBounds, type TileScale } from "../packages/tile/index";

const TARGET_RE = Number(process.argv[5] ?? -0.743643887037151);
const TARGET_IM = Number(process.argv[6] ?? 0.13182590420533);

function escapeFloat64(cx: number, cy: number, maxIter: number): number {
  let x = 0;
  let y = 0;
  for (let n = 1; n <= maxIter; n++) {
    const nextY = 2 * x * y + cy;
    x = x * x - y * y + cx;
    y = nextY;
    if (x * x + y * y > 4) return n;
  }
  return maxIter;
}

// Double-double arithmetic (Dekker/Knuth error-free transformations, no FMA).
const SPLITTER = 134217729; // 2^27 + 1
function twoSum(a: number, b: number, out: Float64Array): void {
  const s = a + b;
  const bb = s - a;
  out[0] = s;
  out[1] = a - (s - bb) + (b - bb);
}
function twoProd(a: number, b: number, out: Float64Array): void {
  const p = a * b;
  let t = SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  out[0] = p;
  out[1] = ah * bh - p + ah * bl + al * bh + al * bl;
}
const tmp = new Float64Array(2);
function ddAdd(ah: number, al: number, bh: number, bl: number, out: Float64Array): void {
  twoSum(ah, bh, tmp);
  const e = tmp[1] + al + bl;
  const s = tmp[0] + e;
  out[0] = s;
  out[1] = e - (s - tmp[0]);
}
function ddMul(ah: number, al: number, bh: number, bl: number, out: Float64Array): void {
  twoProd(ah, bh, tmp);
  const e = tmp[1] + ah * bl + al * bh;
  const s = tmp[0] + e;
  out[0] = s;
  out[1] = e - (s - tmp[0]);
}

function escapeDoubleDouble(cx: number, cy: number, maxIter: number): number {
  let xh = 0,
    xl = 0,
    yh = 0,
    yl = 0;
  const xx = new Float64Array(2),
    yy = new Float64Array(2),
    xy = new Float64Array(2),
    r = new Float64Array(2);
  for (let n = 1; n <= maxIter; n++) {
    ddMul(xh, xl, xh, xl, xx);
    ddMul(yh, yl, yh, yl, yy);
    ddMul(xh, xl, yh, yl, xy);
    ddAdd(xy[0] * 2, xy[1] * 2, cy, 0, r);
    yh = r[0];
    yl = r[1];
    ddAdd(xx[0], xx[1], -yy[0], -yy[1], r);
    ddAdd(r[0], r[1], cx, 0, r);
    xh = r[0];
    xl = r[1];
    if (xh * xh + yh * yh > 4) return n;
  }
  return maxIter;
}

interface Probe {
  wrong: number;
  far: number;
  sampled: number;
  maxIter: number;
}

// "far": the count is off by more than 5 % (and more than 2), which shows as a
// visibly different colour; off-by-a-few counts on chaotic boundary pixels
// happen at every zoom and are invisible noise.
function wrongShare(z: number, scale: TileScale, stride: number): Probe {
  const side = 4 / 2 ** z;
  const x = Math.floor((TARGET_RE + 2.5) / side);
  const y = Math.floor((2 - TARGET_IM) / side);
  const b = tileBounds(z, x, y, scale);
  const maxIter = iterationBudget(z, scale);
  let wrong = 0;
  let far = 0;
  let sampled = 0;
  for (let py = 0; py < b.height; py += stride) {
    const cy = b.top - (py + 0.5) * b.step;
    for (let px = 0; px < b.width; px += stride) {
      const cx = b.left + (px + 0.5) * b.step;
      sampled++;
      const n64 = escapeFloat64(cx, cy, maxIter);
      const nRef = escapeDoubleDouble(cx, cy, maxIter);
      if (n64 !== nRef) wrong++;
      const diff = Math.abs(n64 - nRef);
      if (diff > 2 && diff > 0.05 * nRef) far++;
    }
  }
  return { wrong, far, sampled, maxIter };
}

const from = Number(process.argv[2] ?? 26);
const to = Number(process.argv[3] ?? 40);
const stride = Number(process.argv[4] ?? 4);
const pct = (k: number, n: number): string => `${((100 * k) / n).toFixed(2)}%`;
console.log("zoom scale maxIter sampled  count-differs  off-by->5%");
for (let z = from; z <= to; z++) {
  for (const scale of [1, 2] as const) {
    const { wrong, far, sampled, maxIter } = wrongShare(z, scale, stride * scale);
    console.log(`z${z} @${scale}x ${maxIter} ${sampled}  ${pct(wrong, sampled)}  ${pct(far, sampled)}`);
  }
}
