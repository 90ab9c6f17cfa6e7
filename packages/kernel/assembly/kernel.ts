// Escape-time kernel in WebAssembly SIMD (AssemblyScript, built by ../build-wasm.mjs).
//
// Why this shape: one Mandelbrot iteration depends on the previous one, so a scalar loop
// waits on multiply latency. Here 8 pixels ("lanes") iterate at once as 4 independent
// f64x2 vectors, which keeps the multipliers busy. A lane that finishes is refilled with
// the next pixel, so lanes never idle while neighbours run long.
//
// Exactness: the arithmetic is the reference's (no FMA, same order: y' = 2xy + cy,
// x' = (x*x - y*y) + cx, with x + x == 2 * x exactly), so every lane's orbit is
// bit-identical to the naive scalar loop. The escape masks of both steps of a pair are
// tested once per pair; when any lane escapes, the pair is redone in scalar code from the
// saved z to find its exact n. Shortcuts are exact by construction (see FLAG_*).
//
// Memory (managed here, no runtime): lane state in static data, outputs from __heap_base:
// counts u32[n] | escape re f64[n] | escape im f64[n]. JS reads them after render().

/** Skip pixels inside the main cardioid or the period-2 bulb (they never escape). */
const FLAG_CARDIOID_BULB: i32 = 1;
/** Brent-style cycle detection: a lane whose z repeats bit-exactly can never escape. */
const FLAG_PERIODICITY: i32 = 2;

const LANES: i32 = 8;
const NO_PIXEL: i32 = -1;
const NEVER: i64 = i64.MAX_VALUE;
/** Local iteration of the second periodicity checkpoint (the first is z0 = 0); doubles after. */
const FIRST_CHECKPOINT: i64 = 16;

// Lane state, 8 lanes of each; vector v holds lanes 2v and 2v+1.
const ZX = memory.data(LANES * 8, 16);
const ZY = memory.data(LANES * 8, 16);
const CX = memory.data(LANES * 8, 16);
const CY = memory.data(LANES * 8, 16);
const SAVED_X = memory.data(LANES * 8, 16); // periodicity checkpoint
const SAVED_Y = memory.data(LANES * 8, 16);
const START = memory.data(LANES * 8, 16); // i64: global step at which the lane's pixel started
const DEADLINE = memory.data(LANES * 8, 16); // i64: START + maxIter
const CHECK_AT = memory.data(LANES * 8, 16); // i64: next checkpoint (global step)
const PIXEL = memory.data(LANES * 4, 16); // i32: pixel index, NO_PIXEL for an idle lane

let countsPtr: usize = 0;
let escapeXPtr: usize = 0;
let escapeYPtr: usize = 0;
let capacity: i32 = 0;

let gLeft: f64 = 0;
let gTop: f64 = 0;
let gStep: f64 = 0;
let gWidth: i32 = 0;
let gTotal: i32 = 0;
let gMaxIter: i32 = 0;
let gFlags: i32 = 0;
let gNextPixel: i32 = 0;
let gActive: i32 = 0;

/** Makes room for `pixels` outputs (growing memory if needed); returns the counts pointer. */
export function prepare(pixels: i32): usize {
  countsPtr = (__heap_base + 15) & ~15;
  escapeXPtr = (countsPtr + (<usize>pixels << 2) + 15) & ~15;
  escapeYPtr = escapeXPtr + (<usize>pixels << 3);
  const end = escapeYPtr + (<usize>pixels << 3);
  const pagesNeeded = <i32>((end + 0xffff) >>> 16);
  const pagesHave = memory.size();
  if (pagesNeeded > pagesHave && memory.grow(pagesNeeded - pagesHave) < 0) unreachable();
  capacity = pixels;
  return countsPtr;
}

export function escapeXPointer(): usize {
  return escapeXPtr;
}

export function escapeYPointer(): usize {
  return escapeYPtr;
}

// @ts-ignore: decorator
@inline function inMainCardioid(cx: f64, cy: f64): bool {
  const xq = cx - 0.25;
  const y2 = cy * cy;
  const q = xq * xq + y2;
  return q * (q + xq) <= 0.25 * y2;
}

// @ts-ignore: decorator
@inline function inPeriod2Bulb(cx: f64, cy: f64): bool {
  const xp = cx + 1.0;
  return xp * xp + cy * cy <= 0.0625;
}

// @ts-ignore: decorator
@inline function laneF64(base: usize, lane: i32): usize {
  return base + (<usize>lane << 3);
}

function writeCount(pixel: i32, n: i32, x: f64, y: f64): void {
  store<u32>(countsPtr + (<usize>pixel << 2), n);
  store<f64>(escapeXPtr + (<usize>pixel << 3), x);
  store<f64>(escapeYPtr + (<usize>pixel << 3), y);
}

/** Loads the next pixel that needs iterating into `lane` at global step k, or idles it. */
function refill(lane: i32, k: i64): void {
  while (gNextPixel < gTotal) {
    const pixel = gNextPixel++;
    const py = pixel / gWidth;
    const px = pixel - py * gWidth;
    const cx = gLeft + (<f64>px + 0.5) * gStep;
    const cy = gTop - (<f64>py + 0.5) * gStep;
    if ((gFlags & FLAG_CARDIOID_BULB) != 0 && (inMainCardioid(cx, cy) || inPeriod2Bulb(cx, cy))) {
      writeCount(pixel, gMaxIter, 0, 0);
      continue;
    }
    store<f64>(laneF64(ZX, lane), 0);
    store<f64>(laneF64(ZY, lane), 0);
    store<f64>(laneF64(CX, lane), cx);
    store<f64>(laneF64(CY, lane), cy);
    const periodic = (gFlags & FLAG_PERIODICITY) != 0;
    store<f64>(laneF64(SAVED_X, lane), periodic ? 0 : NaN);
    store<f64>(laneF64(SAVED_Y, lane), periodic ? 0 : NaN);
    store<i64>(laneF64(START, lane), k);
    store<i64>(laneF64(DEADLINE, lane), k + gMaxIter);
    store<i64>(laneF64(CHECK_AT, lane), periodic ? k + FIRST_CHECKPOINT : NEVER);
    store<i32>(PIXEL + (<usize>lane << 2), pixel);
    return;
  }
  // Idle lane: z stays 0 forever and NaN checkpoints never compare equal, so it never
  // raises the escape or cycle mask.
  if (load<i32>(PIXEL + (<usize>lane << 2)) != NO_PIXEL) gActive--;
  store<f64>(laneF64(ZX, lane), 0);
  store<f64>(laneF64(ZY, lane), 0);
  store<f64>(laneF64(CX, lane), 0);
  store<f64>(laneF64(CY, lane), 0);
  store<f64>(laneF64(SAVED_X, lane), NaN);
  store<f64>(laneF64(SAVED_Y, lane), NaN);
  store<i64>(laneF64(DEADLINE, lane), NEVER);
  store<i64>(laneF64(CHECK_AT, lane), NEVER);
  store<i32>(PIXEL + (<usize>lane << 2), NO_PIXEL);
}

/** At a segment boundary: retire lanes that used up maxIter, take due periodicity checkpoints. */
function laneEvents(k: i64): void {
  for (let lane = 0; lane < LANES; lane++) {
    const pixel = load<i32>(PIXEL + (<usize>lane << 2));
    if (pixel == NO_PIXEL) continue;
    if (k >= load<i64>(laneF64(DEADLINE, lane))) {
      writeCount(pixel, gMaxIter, 0, 0);
      refill(lane, k);
      continue;
    }
    if (k >= load<i64>(laneF64(CHECK_AT, lane))) {
      store<f64>(laneF64(SAVED_X, lane), load<f64>(laneF64(ZX, lane)));
      store<f64>(laneF64(SAVED_Y, lane), load<f64>(laneF64(ZY, lane)));
      const start = load<i64>(laneF64(START, lane));
      store<i64>(laneF64(CHECK_AT, lane), start + 2 * (k - start));
    }
  }
}

/**
 * After a pair in which some lane escaped or cycled: redo the pair per lane in scalar
 * code from the saved z_j (bit-identical arithmetic) to find each lane's exact outcome.
 */
function resolvePair(k: i64): void {
  for (let lane = 0; lane < LANES; lane++) {
    const pixel = load<i32>(PIXEL + (<usize>lane << 2));
    if (pixel == NO_PIXEL) continue;
    const j = <i32>(k - load<i64>(laneF64(START, lane)));
    const cx = load<f64>(laneF64(CX, lane));
    const cy = load<f64>(laneF64(CY, lane));
    let x = load<f64>(laneF64(ZX, lane));
    let y = load<f64>(laneF64(ZY, lane));
    let escapedAt: i32 = 0;
    for (let s = 0; s < 2; s++) {
      const xx = x * x;
      const yy = y * y;
      if (xx + yy > 4.0) {
        escapedAt = j + s;
        break;
      }
      const ny = (x + x) * y + cy;
      x = xx - yy + cx;
      y = ny;
    }
    if (escapedAt > 0) {
      writeCount(pixel, escapedAt < gMaxIter ? escapedAt : gMaxIter, x, y);
      refill(lane, k + 2);
      continue;
    }
    // z_{j+2} equal to a checkpoint z_s (s <= j) whose successors up to z_{j+1} did not
    // escape: the orbit cycles through non-escaping points forever.
    if (x == load<f64>(laneF64(SAVED_X, lane)) && y == load<f64>(laneF64(SAVED_Y, lane))) {
      writeCount(pixel, gMaxIter, 0, 0);
      refill(lane, k + 2);
      continue;
    }
    store<f64>(laneF64(ZX, lane), x);
    store<f64>(laneF64(ZY, lane), y);
  }
}

/** Global steps until the earliest lane event (deadline or checkpoint), as whole pairs. */
function pairsUntilNextEvent(k: i64): i64 {
  let limit = NEVER;
  for (let lane = 0; lane < LANES; lane++) {
    const d = load<i64>(laneF64(DEADLINE, lane));
    const c = load<i64>(laneF64(CHECK_AT, lane));
    if (d < limit) limit = d;
    if (c < limit) limit = c;
  }
  return (limit - k + 1) >> 1;
}

/**
 * Renders a width x height tile into the buffers set up by prepare(). Pixel (px, py) has
 * c = (left + (px + 0.5) * step, top - (py + 0.5) * step). Escaped pixels get their count
 * and z_n; interior ones maxIter.
 */
export function render(left: f64, top: f64, step: f64, width: i32, height: i32, maxIter: i32, flags: i32): void {
  if (width * height > capacity) unreachable();
  gLeft = left;
  gTop = top;
  gStep = step;
  gWidth = width;
  gTotal = width * height;
  gMaxIter = maxIter;
  gFlags = flags;
  gNextPixel = 0;
  gActive = LANES;
  let k: i64 = 0;
  for (let lane = 0; lane < LANES; lane++) {
    store<i32>(PIXEL + (<usize>lane << 2), 0);
    refill(lane, k);
  }
  const four = f64x2.splat(4.0);
  while (gActive > 0) {
    laneEvents(k);
    if (gActive == 0) break;
    const pairs = pairsUntilNextEvent(k);
    let x0 = v128.load(ZX, 0), x1 = v128.load(ZX, 16), x2 = v128.load(ZX, 32), x3 = v128.load(ZX, 48);
    let y0 = v128.load(ZY, 0), y1 = v128.load(ZY, 16), y2 = v128.load(ZY, 32), y3 = v128.load(ZY, 48);
    const cx0 = v128.load(CX, 0), cx1 = v128.load(CX, 16), cx2 = v128.load(CX, 32), cx3 = v128.load(CX, 48);
    const cy0 = v128.load(CY, 0), cy1 = v128.load(CY, 16), cy2 = v128.load(CY, 32), cy3 = v128.load(CY, 48);
    const sx0 = v128.load(SAVED_X, 0), sx1 = v128.load(SAVED_X, 16), sx2 = v128.load(SAVED_X, 32), sx3 = v128.load(SAVED_X, 48);
    const sy0 = v128.load(SAVED_Y, 0), sy1 = v128.load(SAVED_Y, 16), sy2 = v128.load(SAVED_Y, 32), sy3 = v128.load(SAVED_Y, 48);
    let done: i64 = 0;
    let hit = false;
    while (done < pairs) {
      // First step of the pair: z_j -> z_{j+1}, escape mask of z_j.
      let xx0 = f64x2.mul(x0, x0), yy0 = f64x2.mul(y0, y0);
      let xx1 = f64x2.mul(x1, x1), yy1 = f64x2.mul(y1, y1);
      let xx2 = f64x2.mul(x2, x2), yy2 = f64x2.mul(y2, y2);
      let xx3 = f64x2.mul(x3, x3), yy3 = f64x2.mul(y3, y3);
      let e0 = f64x2.gt(f64x2.add(xx0, yy0), four);
      let e1 = f64x2.gt(f64x2.add(xx1, yy1), four);
      let e2 = f64x2.gt(f64x2.add(xx2, yy2), four);
      let e3 = f64x2.gt(f64x2.add(xx3, yy3), four);
      let ay0 = f64x2.add(f64x2.mul(f64x2.add(x0, x0), y0), cy0);
      let ay1 = f64x2.add(f64x2.mul(f64x2.add(x1, x1), y1), cy1);
      let ay2 = f64x2.add(f64x2.mul(f64x2.add(x2, x2), y2), cy2);
      let ay3 = f64x2.add(f64x2.mul(f64x2.add(x3, x3), y3), cy3);
      let ax0 = f64x2.add(f64x2.sub(xx0, yy0), cx0);
      let ax1 = f64x2.add(f64x2.sub(xx1, yy1), cx1);
      let ax2 = f64x2.add(f64x2.sub(xx2, yy2), cx2);
      let ax3 = f64x2.add(f64x2.sub(xx3, yy3), cx3);
      // Second step: z_{j+1} -> z_{j+2}, escape mask of z_{j+1}.
      xx0 = f64x2.mul(ax0, ax0); yy0 = f64x2.mul(ay0, ay0);
      xx1 = f64x2.mul(ax1, ax1); yy1 = f64x2.mul(ay1, ay1);
      xx2 = f64x2.mul(ax2, ax2); yy2 = f64x2.mul(ay2, ay2);
      xx3 = f64x2.mul(ax3, ax3); yy3 = f64x2.mul(ay3, ay3);
      e0 = v128.or(e0, f64x2.gt(f64x2.add(xx0, yy0), four));
      e1 = v128.or(e1, f64x2.gt(f64x2.add(xx1, yy1), four));
      e2 = v128.or(e2, f64x2.gt(f64x2.add(xx2, yy2), four));
      e3 = v128.or(e3, f64x2.gt(f64x2.add(xx3, yy3), four));
      const by0 = f64x2.add(f64x2.mul(f64x2.add(ax0, ax0), ay0), cy0);
      const by1 = f64x2.add(f64x2.mul(f64x2.add(ax1, ax1), ay1), cy1);
      const by2 = f64x2.add(f64x2.mul(f64x2.add(ax2, ax2), ay2), cy2);
      const by3 = f64x2.add(f64x2.mul(f64x2.add(ax3, ax3), ay3), cy3);
      const bx0 = f64x2.add(f64x2.sub(xx0, yy0), cx0);
      const bx1 = f64x2.add(f64x2.sub(xx1, yy1), cx1);
      const bx2 = f64x2.add(f64x2.sub(xx2, yy2), cx2);
      const bx3 = f64x2.add(f64x2.sub(xx3, yy3), cx3);
      // Cycle mask: z_{j+2} equal to the lane's checkpoint.
      const p0 = v128.and(f64x2.eq(bx0, sx0), f64x2.eq(by0, sy0));
      const p1 = v128.and(f64x2.eq(bx1, sx1), f64x2.eq(by1, sy1));
      const p2 = v128.and(f64x2.eq(bx2, sx2), f64x2.eq(by2, sy2));
      const p3 = v128.and(f64x2.eq(bx3, sx3), f64x2.eq(by3, sy3));
      const any = v128.or(v128.or(v128.or(e0, e1), v128.or(e2, e3)), v128.or(v128.or(p0, p1), v128.or(p2, p3)));
      if (v128.any_true(any)) {
        hit = true;
        break;
      }
      x0 = bx0; x1 = bx1; x2 = bx2; x3 = bx3;
      y0 = by0; y1 = by1; y2 = by2; y3 = by3;
      done++;
    }
    k += done << 1;
    v128.store(ZX, x0, 0); v128.store(ZX, x1, 16); v128.store(ZX, x2, 32); v128.store(ZX, x3, 48);
    v128.store(ZY, y0, 0); v128.store(ZY, y1, 16); v128.store(ZY, y2, 32); v128.store(ZY, y3, 48);
    if (hit) {
      resolvePair(k);
      k += 2;
    }
  }
}
