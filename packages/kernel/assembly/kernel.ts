// Escape-time kernel in WebAssembly SIMD (AssemblyScript, built by scripts/build-wasm.mjs).
//
// Why this shape: one Mandelbrot iteration depends on the previous one, so a scalar loop
// waits on multiply latency. Here 8 pixels ("lanes") iterate at once as 4 independent
// f64x2 vectors, which keeps the multipliers busy. A lane that finishes is refilled with
// the next pixel, so lanes never idle while neighbours run long.
//
// Exactness: the arithmetic is the reference's (no FMA, same order: y' = 2xy + cy,
// x' = (x*x - y*y) + cx, and x + x == 2 * x exactly), so every lane's orbit is
// bit-identical to the naive scalar loop. The loop runs in quads of steps z_j -> z_{j+4}
// and raises an alarm when |z_{j+3}|^2 > ALARM_MAGNITUDE_SQ (a little below 4), which
// flags every lane that escaped at j..j+3 (see ALARM_MAGNITUDE_SQ); when a lane is
// flagged, the quad is redone for that lane in scalar code from the saved z_j to find its
// exact n. Shortcuts are exact by construction (see FLAG_*).
//
// Memory (managed here, no runtime): lane state in static data, outputs from __heap_base:
// counts u32[n] | m f64[n] | |z_m|^2 f64[n] | smooth f32[n] (see smoothPass, ../smooth.ts).

/** Skip pixels inside the main cardioid or the period-2 bulb (they never escape). */
const FLAG_CARDIOID_BULB: i32 = 1;
/**
 * Brent-style cycle detection: a lane whose z repeats bit-exactly can never escape. It is
 * armed for a pixel only when the previous pixel of the same lane was interior (interior
 * pixels come in runs), so tiles with little interior skip its cost in the hot loop.
 */
const FLAG_PERIODICITY: i32 = 2;

const LANES: i32 = 8;
const NO_PIXEL: i32 = -1;
const NEVER: i64 = i64.MAX_VALUE;
/**
 * Local iteration of the first periodicity checkpoint after z0 = 0; the window doubles after.
 * Late, because each checkpoint stops the hot loop (128 measured fastest on the workload).
 */
const FIRST_CHECKPOINT: i64 = 128;
// Mirrors of ../smooth.ts (SMOOTH_RADIUS_SQ, SMOOTH_MAX_EXTRA_STEPS); tests compare the two.
const SMOOTH_RADIUS_SQ: f64 = 65536;
/**
 * The hot loop tests only z_{j+3} of each quad z_j .. z_{j+3} against this bound, instead
 * of |z|^2 > 4 for each of the four (saves three adds and three maxes per vector and quad).
 * It still flags every escape at j..j+3: a lane in the loop has |c|^2 <= 4 (refill escapes
 * pixels with |c|^2 > 4 at n = 1 itself), and if |z_i| > 2 then |z_{i+1}| >= |z_i|^2 - |c|
 * > 2, so an escaped orbit stays outside radius 2 for the rest of the quad; rounding
 * (at most three steps, each amplifying an error by about 4) stays of order 1e-13 against
 * the margin of 1e-7 below 4. A lane flagged without escaping (4 - 1e-7 < |z_{j+3}|^2 <= 4)
 * is a false alarm that resolveLane sorts out: counts stay those of the plain loop, and the
 * checksum tests confirm it. Between the first escape and z_{j+4} an orbit grows from at
 * most 6 to about 1e13 in modulus: never near overflow.
 */
const ALARM_MAGNITUDE_SQ: f64 = 4.0 - 1e-7;
const SMOOTH_MAX_EXTRA_STEPS: i32 = 32;

// Lane state, 8 lanes of each; vector v holds lanes 2v and 2v+1.
const ZX = memory.data(LANES * 8, 16);
const ZY = memory.data(LANES * 8, 16);
const OLD_X = memory.data(LANES * 8, 16); // z at the start of the last quad
const OLD_Y = memory.data(LANES * 8, 16);
const CX = memory.data(LANES * 8, 16);
const CY = memory.data(LANES * 8, 16);
const SAVED_X = memory.data(LANES * 8, 16); // periodicity checkpoint (NaN: none)
const SAVED_Y = memory.data(LANES * 8, 16);
const START = memory.data(LANES * 8, 16); // i64: global step at which the lane's pixel started
const DEADLINE = memory.data(LANES * 8, 16); // i64: START + maxIter
const CHECK_AT = memory.data(LANES * 8, 16); // i64: next checkpoint (global step)
const PIXEL = memory.data(LANES * 4, 16); // i32: pixel index, NO_PIXEL for an idle lane
const LAST_INTERIOR = memory.data(LANES * 4, 16); // i32: the lane's previous pixel was interior
const CHECKING = memory.data(LANES * 4, 16); // i32: cycle detection armed for the lane's pixel
// |z_{j+3}|^2 of each lane in the last quad, for flaggedLanes. Storing it (and z, to ZX/ZY)
// after each vector also pins that vector's computation there (V8 keeps stores in program
// order), so its squares need not stay live and spill.
const MAGS = memory.data(LANES * 8, 16);

let countsPtr: usize = 0;
let iterationPtr: usize = 0;
let magnitudePtr: usize = 0;
let smoothPtr: usize = 0;
let capacity: i32 = 0;

let gLeft: f64 = 0;
let gTop: f64 = 0;
let gStep: f64 = 0;
let gWidth: i32 = 0;
let gTotal: i32 = 0;
let gMaxIter: i32 = 0;
let gPeriodicity: bool = false;
let gCardioidBulb: bool = false;
let gNextPixel: i32 = 0;
let gNextPx: i32 = 0;
let gNextPy: i32 = 0;
let gActive: i32 = 0;
/** Number of lanes with cycle detection armed: the hot loop skips the cycle test when 0. */
let gCheckingLanes: i32 = 0;
/** Earliest global step at which some lane may reach its deadline or checkpoint (may be early, never late). */
let gNextEvent: i64 = 0;
/** Lanes flagged by the last runQuads (bit per lane). */
let gFlagged: i32 = 0;

/** Makes room for `pixels` outputs (growing memory if needed); returns the counts pointer. */
export function prepare(pixels: i32): usize {
  countsPtr = (__heap_base + 15) & ~15;
  iterationPtr = (countsPtr + (<usize>pixels << 2) + 15) & ~15;
  magnitudePtr = iterationPtr + (<usize>pixels << 3);
  smoothPtr = magnitudePtr + (<usize>pixels << 3);
  const end = smoothPtr + (<usize>pixels << 2);
  const pagesNeeded = <i32>((end + 0xffff) >>> 16);
  const pagesHave = memory.size();
  if (pagesNeeded > pagesHave && memory.grow(pagesNeeded - pagesHave) < 0) unreachable();
  capacity = pixels;
  return countsPtr;
}

/** Per pixel: m, the iteration reached after the smooth value's extra steps (escaped pixels only). */
export function smoothIterationPointer(): usize {
  return iterationPtr;
}

/** Per pixel: the smooth value as f32, NaN where JS must compute it (see smoothPass). */
export function smoothPointer(): usize {
  return smoothPtr;
}

/** Per pixel: |z_m|^2 (escaped pixels only). */
export function smoothMagnitudePointer(): usize {
  return magnitudePtr;
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

/** Address of a lane's entry in an 8-byte (f64/i64) lane array. */
// @ts-ignore: decorator
@inline function at(base: usize, lane: i32): usize {
  return base + (<usize>lane << 3);
}

/** Address of a lane's entry in a 4-byte (i32) lane array. */
// @ts-ignore: decorator
@inline function at32(base: usize, lane: i32): usize {
  return base + (<usize>lane << 2);
}

// @ts-ignore: decorator
@inline function pixelOf(lane: i32): i32 {
  return load<i32>(at32(PIXEL, lane));
}

function writeInterior(pixel: i32): void {
  store<u32>(countsPtr + (<usize>pixel << 2), gMaxIter);
}

/** Bookkeeping when a lane's pixel is done: remembers whether it was interior, disarms cycle detection. */
// @ts-ignore: decorator
@inline function finishLane(lane: i32, interior: bool): void {
  store<i32>(at32(LAST_INTERIOR, lane), interior ? 1 : 0);
  if (load<i32>(at32(CHECKING, lane)) != 0) {
    store<i32>(at32(CHECKING, lane), 0);
    gCheckingLanes--;
  }
}

/**
 * Escaped at n with z_n = (x, y): the count, plus m and |z_m|^2 for the smooth value.
 * Inlined, like the other stop-path helpers: on many tiles a hot-loop stop per pixel dominates.
 */
// @ts-ignore: decorator
@inline function writeEscaped(pixel: i32, n: i32, x: f64, y: f64, cx: f64, cy: f64): void {
  if (n >= gMaxIter) {
    writeInterior(pixel);
    return;
  }
  store<u32>(countsPtr + (<usize>pixel << 2), n);
  let m = n;
  for (let k = 0; k < SMOOTH_MAX_EXTRA_STEPS; k++) {
    const x2 = x * x;
    const y2 = y * y;
    if (x2 + y2 > SMOOTH_RADIUS_SQ) break;
    y = (x + x) * y + cy;
    x = x2 - y2 + cx;
    m++;
  }
  store<f64>(iterationPtr + (<usize>pixel << 3), <f64>m);
  store<f64>(magnitudePtr + (<usize>pixel << 3), x * x + y * y);
}

/** Loads the next pixel that needs iterating into `lane` at global step k, or idles it. */
// @ts-ignore: decorator
@inline function refill(lane: i32, k: i64): void {
  while (gNextPixel < gTotal) {
    const pixel = gNextPixel++;
    const cx = gLeft + (<f64>gNextPx + 0.5) * gStep;
    const cy = gTop - (<f64>gNextPy + 0.5) * gStep;
    if (++gNextPx == gWidth) {
      gNextPx = 0;
      gNextPy++;
    }
    if (gCardioidBulb && (inMainCardioid(cx, cy) || inPeriod2Bulb(cx, cy))) {
      writeInterior(pixel);
      continue;
    }
    // The first step needs no lane: z_1 = (0*0 - 0*0) + cx, 2*0*0 + cy is exactly c, so a
    // pixel with |c|^2 > 4 escapes at n = 1 (most of an exterior tile) without a stop of
    // the hot loop for it. Not a switch: the hot loop's alarm bound relies on |c|^2 <= 4
    // (see ALARM_MAGNITUDE_SQ).
    if (cx * cx + cy * cy > 4.0) {
      writeEscaped(pixel, 1, cx, cy, cx, cy);
      continue;
    }
    store<f64>(at(ZX, lane), 0);
    store<f64>(at(ZY, lane), 0);
    store<f64>(at(CX, lane), cx);
    store<f64>(at(CY, lane), cy);
    const checking = gPeriodicity && load<i32>(at32(LAST_INTERIOR, lane)) != 0;
    store<f64>(at(SAVED_X, lane), checking ? 0 : NaN);
    store<f64>(at(SAVED_Y, lane), checking ? 0 : NaN);
    store<i64>(at(START, lane), k);
    if (checking) {
      store<i32>(at32(CHECKING, lane), 1);
      gCheckingLanes++;
    }
    const deadline = k + gMaxIter;
    const checkAt = checking ? k + FIRST_CHECKPOINT : NEVER;
    store<i64>(at(DEADLINE, lane), deadline);
    store<i64>(at(CHECK_AT, lane), checkAt);
    if (deadline < gNextEvent) gNextEvent = deadline;
    if (checkAt < gNextEvent) gNextEvent = checkAt;
    store<i32>(at32(PIXEL, lane), pixel);
    return;
  }
  // Idle lane: z stays 0 forever and NaN checkpoints never compare equal, so it never
  // raises the escape or cycle mask.
  if (pixelOf(lane) != NO_PIXEL) gActive--;
  store<f64>(at(ZX, lane), 0);
  store<f64>(at(ZY, lane), 0);
  store<f64>(at(CX, lane), 0);
  store<f64>(at(CY, lane), 0);
  store<f64>(at(SAVED_X, lane), NaN);
  store<f64>(at(SAVED_Y, lane), NaN);
  store<i64>(at(DEADLINE, lane), NEVER);
  store<i64>(at(CHECK_AT, lane), NEVER);
  store<i32>(at32(PIXEL, lane), NO_PIXEL);
}

/** Retires lanes that used up maxIter and takes due periodicity checkpoints; recomputes gNextEvent. */
function laneEvents(k: i64): void {
  gNextEvent = NEVER;
  for (let lane = 0; lane < LANES; lane++) {
    const pixel = pixelOf(lane);
    if (pixel == NO_PIXEL) continue;
    if (k >= load<i64>(at(DEADLINE, lane))) {
      writeInterior(pixel);
      finishLane(lane, true);
      refill(lane, k); // lowers gNextEvent for the new pixel
      continue;
    }
    let checkAt = load<i64>(at(CHECK_AT, lane));
    if (k >= checkAt) {
      store<f64>(at(SAVED_X, lane), load<f64>(at(ZX, lane)));
      store<f64>(at(SAVED_Y, lane), load<f64>(at(ZY, lane)));
      const start = load<i64>(at(START, lane));
      checkAt = start + 2 * (k - start);
      store<i64>(at(CHECK_AT, lane), checkAt);
    }
    const deadline = load<i64>(at(DEADLINE, lane));
    if (deadline < gNextEvent) gNextEvent = deadline;
    if (checkAt < gNextEvent) gNextEvent = checkAt;
  }
}

/**
 * A lane flagged in the quad that started at global step k (z_j saved in OLD_*): redo the
 * quad in scalar code (bit-identical arithmetic) to find its exact outcome.
 */
// @ts-ignore: decorator
@inline function resolveLane(lane: i32, k: i64): void {
  const pixel = pixelOf(lane);
  const cx = load<f64>(at(CX, lane));
  const cy = load<f64>(at(CY, lane));
  let x = load<f64>(at(OLD_X, lane));
  let y = load<f64>(at(OLD_Y, lane));
  const j = <i32>(k - load<i64>(at(START, lane)));
  for (let s = 0; s < 4; s++) {
    const xx = x * x;
    const yy = y * y;
    if (xx + yy > 4.0) {
      writeEscaped(pixel, j + s, x, y, cx, cy);
      finishLane(lane, j + s >= gMaxIter);
      refill(lane, k + 4);
      return;
    }
    const ny = (x + x) * y + cy;
    x = xx - yy + cx;
    y = ny;
  }
  // z_{j+4} equal to a checkpoint z_s (s <= j) whose successors up to z_{j+3} did not
  // escape: the orbit cycles through non-escaping points forever.
  if (x == load<f64>(at(SAVED_X, lane)) && y == load<f64>(at(SAVED_Y, lane))) {
    writeInterior(pixel);
    finishLane(lane, true);
    refill(lane, k + 4);
  }
  // Otherwise a false alarm (|z_{j+3}|^2 just below 4, or only x matched the checkpoint):
  // ZX/ZY already hold z_{j+4}.
}

/**
 * Which lanes need resolveLane after runQuads stopped: the escape alarm from the magnitudes
 * the hot loop stored in MAGS, and ZX compared with the checkpoints. Kept out of the hot loop
 * so that only one accumulated magnitude stays live there.
 */
function flaggedLanes(): i32 {
  const threshold = f64x2.splat(ALARM_MAGNITUDE_SQ);
  let flagged: i32 = 0;
  for (let v = 0; v < LANES / 2; v++) {
    const offset = <usize>v << 4;
    const m = v128.load(MAGS + offset);
    const cycled = f64x2.eq(v128.load(ZX + offset), v128.load(SAVED_X + offset));
    flagged |= i64x2.bitmask(v128.or(f64x2.gt(m, threshold), cycled)) << (v << 1);
  }
  return flagged;
}

/**
 * The hot loop: up to `quads` quads of steps for all 8 lanes, stopping after a quad in which
 * some lane raised the escape alarm (or, with checkCycles, met its checkpoint). Lane z state
 * is loaded from and stored back to ZX/ZY (z_{j+4} of every lane, also after a stop); the
 * pre-quad z of the last quad is in OLD_*. Returns the number of quads done before the stop
 * (the stopping quad is not counted), and sets gFlagged. Quads rather than pairs: one alarm
 * test per four steps, which pays off on long orbits.
 */
// @ts-ignore: decorator
@inline function runQuads(quads: i64, checkCycles: bool): i64 {
  // Each vector's four steps are written out in sequence, c is re-read from memory and the
  // escape magnitudes are folded into one accumulator, so that few values stay live (V8 has
  // 16 xmm registers; spills cost more than these loads).
  const threshold = f64x2.splat(ALARM_MAGNITUDE_SQ);
  let x0 = v128.load(ZX, 0), x1 = v128.load(ZX, 16), x2 = v128.load(ZX, 32), x3 = v128.load(ZX, 48);
  let y0 = v128.load(ZY, 0), y1 = v128.load(ZY, 16), y2 = v128.load(ZY, 32), y3 = v128.load(ZY, 48);
  let done: i64 = 0;
  let stopped = false;
  while (done < quads) {
    // z_j, kept for flaggedLanes and resolveLane should a lane escape or cycle in this quad.
    v128.store(OLD_X, x0, 0); v128.store(OLD_X, x1, 16); v128.store(OLD_X, x2, 32); v128.store(OLD_X, x3, 48);
    v128.store(OLD_Y, y0, 0); v128.store(OLD_Y, y1, 16); v128.store(OLD_Y, y2, 32); v128.store(OLD_Y, y3, 48);
    // Per vector: z_j -> ... -> z_{j+4}; |z_{j+3}|^2 goes into the running max m.
    let xx = f64x2.mul(x0, x0); let yy = f64x2.mul(y0, y0);
    let ty = f64x2.add(f64x2.mul(f64x2.add(x0, x0), y0), v128.load(CY, 0));
    let tx = f64x2.add(f64x2.sub(xx, yy), v128.load(CX, 0));
    xx = f64x2.mul(tx, tx); yy = f64x2.mul(ty, ty);
    y0 = f64x2.add(f64x2.mul(f64x2.add(tx, tx), ty), v128.load(CY, 0));
    x0 = f64x2.add(f64x2.sub(xx, yy), v128.load(CX, 0));
    xx = f64x2.mul(x0, x0); yy = f64x2.mul(y0, y0);
    ty = f64x2.add(f64x2.mul(f64x2.add(x0, x0), y0), v128.load(CY, 0));
    tx = f64x2.add(f64x2.sub(xx, yy), v128.load(CX, 0));
    xx = f64x2.mul(tx, tx); yy = f64x2.mul(ty, ty);
    let mag = f64x2.add(xx, yy);
    let m = mag;
    y0 = f64x2.add(f64x2.mul(f64x2.add(tx, tx), ty), v128.load(CY, 0));
    x0 = f64x2.add(f64x2.sub(xx, yy), v128.load(CX, 0));
    v128.store(ZX, x0, 0); v128.store(ZY, y0, 0); v128.store(MAGS, mag, 0);

    xx = f64x2.mul(x1, x1); yy = f64x2.mul(y1, y1);
    ty = f64x2.add(f64x2.mul(f64x2.add(x1, x1), y1), v128.load(CY, 16));
    tx = f64x2.add(f64x2.sub(xx, yy), v128.load(CX, 16));
    xx = f64x2.mul(tx, tx); yy = f64x2.mul(ty, ty);
    y1 = f64x2.add(f64x2.mul(f64x2.add(tx, tx), ty), v128.load(CY, 16));
    x1 = f64x2.add(f64x2.sub(xx, yy), v128.load(CX, 16));
    xx = f64x2.mul(x1, x1); yy = f64x2.mul(y1, y1);
    ty = f64x2.add(f64x2.mul(f64x2.add(x1, x1), y1), v128.load(CY, 16));
    tx = f64x2.add(f64x2.sub(xx, yy), v128.load(CX, 16));
    xx = f64x2.mul(tx, tx); yy = f64x2.mul(ty, ty);
    mag = f64x2.add(xx, yy);
    m = f64x2.pmax(m, mag);
    y1 = f64x2.add(f64x2.mul(f64x2.add(tx, tx), ty), v128.load(CY, 16));
    x1 = f64x2.add(f64x2.sub(xx, yy), v128.load(CX, 16));
    v128.store(ZX, x1, 16); v128.store(ZY, y1, 16); v128.store(MAGS, mag, 16);

    xx = f64x2.mul(x2, x2); yy = f64x2.mul(y2, y2);
    ty = f64x2.add(f64x2.mul(f64x2.add(x2, x2), y2), v128.load(CY, 32));
    tx = f64x2.add(f64x2.sub(xx, yy), v128.load(CX, 32));
    xx = f64x2.mul(tx, tx); yy = f64x2.mul(ty, ty);
    y2 = f64x2.add(f64x2.mul(f64x2.add(tx, tx), ty), v128.load(CY, 32));
    x2 = f64x2.add(f64x2.sub(xx, yy), v128.load(CX, 32));
    xx = f64x2.mul(x2, x2); yy = f64x2.mul(y2, y2);
    ty = f64x2.add(f64x2.mul(f64x2.add(x2, x2), y2), v128.load(CY, 32));
    tx = f64x2.add(f64x2.sub(xx, yy), v128.load(CX, 32));
    xx = f64x2.mul(tx, tx); yy = f64x2.mul(ty, ty);
    mag = f64x2.add(xx, yy);
    m = f64x2.pmax(m, mag);
    y2 = f64x2.add(f64x2.mul(f64x2.add(tx, tx), ty), v128.load(CY, 32));
    x2 = f64x2.add(f64x2.sub(xx, yy), v128.load(CX, 32));
    v128.store(ZX, x2, 32); v128.store(ZY, y2, 32); v128.store(MAGS, mag, 32);

    xx = f64x2.mul(x3, x3); yy = f64x2.mul(y3, y3);
    ty = f64x2.add(f64x2.mul(f64x2.add(x3, x3), y3), v128.load(CY, 48));
    tx = f64x2.add(f64x2.sub(xx, yy), v128.load(CX, 48));
    xx = f64x2.mul(tx, tx); yy = f64x2.mul(ty, ty);
    y3 = f64x2.add(f64x2.mul(f64x2.add(tx, tx), ty), v128.load(CY, 48));
    x3 = f64x2.add(f64x2.sub(xx, yy), v128.load(CX, 48));
    xx = f64x2.mul(x3, x3); yy = f64x2.mul(y3, y3);
    ty = f64x2.add(f64x2.mul(f64x2.add(x3, x3), y3), v128.load(CY, 48));
    tx = f64x2.add(f64x2.sub(xx, yy), v128.load(CX, 48));
    xx = f64x2.mul(tx, tx); yy = f64x2.mul(ty, ty);
    mag = f64x2.add(xx, yy);
    m = f64x2.pmax(m, mag);
    y3 = f64x2.add(f64x2.mul(f64x2.add(tx, tx), ty), v128.load(CY, 48));
    x3 = f64x2.add(f64x2.sub(xx, yy), v128.load(CX, 48));
    v128.store(ZX, x3, 48); v128.store(ZY, y3, 48); v128.store(MAGS, mag, 48);

    // Escape alarm: some lane's m above ALARM_MAGNITUDE_SQ. Cycle candidate: x of z_{j+4}
    // equals the lane's checkpoint x (resolveLane confirms y too).
    const escaped = f64x2.gt(m, threshold);
    const alarm = checkCycles
      ? v128.or(
          escaped,
          v128.or(
            v128.or(f64x2.eq(x0, v128.load(SAVED_X, 0)), f64x2.eq(x1, v128.load(SAVED_X, 16))),
            v128.or(f64x2.eq(x2, v128.load(SAVED_X, 32)), f64x2.eq(x3, v128.load(SAVED_X, 48))),
          ),
        )
      : escaped;
    if (v128.any_true(alarm)) {
      stopped = true;
      break;
    }
    done++;
  }
  gFlagged = stopped ? flaggedLanes() : 0;
  return done;
}

/**
 * Relative tolerance of smoothPass: far above any difference between two faithful
 * implementations of log and log2 (of order 1e-15 in mu), far below f32 spacing (6e-8).
 */
const SMOOTH_TOLERANCE: f64 = 1e-10;

/**
 * The smooth value (../smooth.ts smoothFromExtendedOrbit: mu = m + 1 - log2(0.5 * ln r),
 * clamped at 0, stored as f32) for every pixel whose f32 result is certain with this module's
 * log and log2 (AssemblyScript's, not V8's Math.log/Math.log2, which may differ in the last
 * bit): every value within SMOOTH_TOLERANCE * (|mu| + 1) of our mu rounds to the same f32
 * (or clamps to 0). Other pixels (rounding or clamp boundary within the tolerance, about 2 in
 * 1000) get NaN and are counted; wasm.ts computes those with smoothFromExtendedOrbit itself,
 * so the output stays bit-identical to the reference's. In wasm because it costs less than two
 * Math calls per pixel in JS.
 */
function smoothPass(): i32 {
  let fallbacks: i32 = 0;
  const total = gTotal;
  const maxIter = <u32>gMaxIter;
  for (let i: i32 = 0; i < total; i++) {
    let valueBits: i32 = 0xbf800000; // -1.0f: interior
    if (load<u32>(countsPtr + (<usize>i << 2)) < maxIter) {
      const m = load<f64>(iterationPtr + (<usize>i << 3));
      const r = load<f64>(magnitudePtr + (<usize>i << 3));
      const mu = m + 1 - Math.log2(0.5 * Math.log(r));
      const e = SMOOTH_TOLERANCE * (abs(mu) + 1.0);
      // Branch-free (the sign of mu is a coin toss on exterior tiles): positive and f32-certain,
      // or certainly clamped to 0 (bits 0), or left to JS (NaN).
      const f = <f32>mu;
      const certain = <i32>(mu - e > 0) & <i32>(<f32>(mu - e) == f) & <i32>(<f32>(mu + e) == f);
      const clamped = <i32>(mu + e < 0);
      const undecided = (certain | clamped) ^ 1;
      valueBits = (reinterpret<i32>(f) & -certain) | (0x7fc00000 & -undecided);
      fallbacks += undecided;
    }
    store<i32>(smoothPtr + (<usize>i << 2), valueBits);
  }
  return fallbacks;
}

/**
 * Renders a width x height tile into the buffers set up by prepare(). Pixel (px, py) has
 * c = (left + (px + 0.5) * step, top - (py + 0.5) * step). Returns the number of pixels whose
 * smooth value is left to JS (NaN in the smooth array, see smoothPass).
 */
export function render(left: f64, top: f64, step: f64, width: i32, height: i32, maxIter: i32, flags: i32): i32 {
  if (width * height > capacity) unreachable();
  gLeft = left;
  gTop = top;
  gStep = step;
  gWidth = width;
  gTotal = width * height;
  gMaxIter = maxIter;
  gCardioidBulb = (flags & FLAG_CARDIOID_BULB) != 0;
  gPeriodicity = (flags & FLAG_PERIODICITY) != 0;
  gNextPixel = 0;
  gNextPx = 0;
  gNextPy = 0;
  gActive = LANES;
  gNextEvent = NEVER;
  gCheckingLanes = 0;
  let k: i64 = 0;
  for (let lane = 0; lane < LANES; lane++) {
    store<i32>(at32(PIXEL, lane), 0);
    store<i32>(at32(LAST_INTERIOR, lane), 0);
    store<i32>(at32(CHECKING, lane), 0);
    refill(lane, k);
  }
  while (gActive > 0) {
    if (k >= gNextEvent) {
      laneEvents(k);
      if (gActive == 0) break;
    }
    const quads = (gNextEvent - k + 3) >> 2;
    // Two copies of the hot loop, with and without the cycle test (constant-folded).
    const done = gCheckingLanes > 0 ? runQuads(quads, true) : runQuads(quads, false);
    k += done << 2;
    let flagged = gFlagged;
    if (flagged != 0) {
      // Idle lanes never flag (z stays 0, NaN checkpoints), so every flagged lane has a pixel.
      while (flagged != 0) {
        const lane = ctz(flagged);
        flagged &= flagged - 1;
        resolveLane(lane, k);
      }
      k += 4;
    }
  }
  return smoothPass();
}
