// Deep-zoom perturbation loop with rebasing, bilinear approximation (BLA) and scaled doubles
// (AssemblyScript, built by scripts/build-wasm.mjs). With BLA off it makes ../perturb.ts's decisions with
// its arithmetic in its order, and the tests hold the two to identical counts and escape values; BLA
// exists only here.
//
// Determinism: IEEE +, −, ×, ÷, sqrt and exact power-of-two scaling only (no FMA: no relaxed SIMD),
// in a fixed order, so every machine computes the same bits.
//
// Memory (no runtime): from __heap_base, laid out by layout(): reference Z re | Z im (f64 × L),
// BLA table (fields in separate arrays), counts u32 × P, escape re | im (f64 × P).

const FLAG_BLA: i32 = 1;
const FLAG_REBASE: i32 = 2;
const FLAG_EXTENDED: i32 = 4;
/** One pixel at a time (no pairSteps): the reference the two-lane loop is tested against. */
const FLAG_ONE_LANE: i32 = 8;

// Mirrors of ../perturb.ts (tests compare the two engines bit for bit).
const PLAIN_MIN_MAGNITUDE_SQ: f64 = 1.0261342003245941e-289; // 2^-960
const PLAIN_TO_SCALED_EXP: i32 = -512;
const SCALED_TO_PLAIN_EXP: i32 = -384;
const SCALED_MAX_SQ: f64 = 3.402823669209385e38; // 2^128
const SCALED_MIN_SQ: f64 = 2.938735877055719e-39; // 2^-128
const SCALED_REBASE_Z_SQ: f64 = 2.4099198651028841e-181; // 2^-600
const SCALED_EXP_FLOOR: i32 = 900;
/** After a BLA step, a delta whose magnitude is at least 2^this is held plain (as settle would). */
const PLAIN_MIN_EXP: i32 = -480;

const MAX_LEVELS: i32 = 32;
const LEVEL_OFFSET = memory.data(MAX_LEVELS * 4, 16);
const LEVEL_COUNT = memory.data(MAX_LEVELS * 4, 16);

let refLength: i32 = 0;
let refRe: usize = 0;
let refIm: usize = 0;
let tableEntries: i32 = 0;
let levels: i32 = 0;
let tAr: usize = 0;
let tAi: usize = 0;
let tBr: usize = 0;
let tBi: usize = 0;
let tRm: usize = 0;
let tEa: usize = 0;
let tEb: usize = 0;
let tEr: usize = 0;
let tR2: usize = 0;
let tPa: usize = 0; // A and B as plain doubles (re, im interleaved), NaN where out of range
let tPb: usize = 0;
let tableEnd: usize = 0;
/** refLength zeros: the BLA radii of a lane without BLA in pairSteps. */
let tZeros: usize = 0;
let countsPtr: usize = 0;
let escRePtr: usize = 0;
let escImPtr: usize = 0;

// Statistics of the last render (f64: they exceed 2^32 on big views).
let statSteps: f64 = 0;
let statBla: f64 = 0;
let statRebases: f64 = 0;
let statPaired: f64 = 0;

// ---- exact power-of-two helpers (same values as ../bigfloat.ts) ----

@inline function pow2(k: i32): f64 {
  if (k > 1023) return Infinity;
  if (k >= -1022) return reinterpret<f64>(<i64>(k + 1023) << 52);
  if (k >= -1074) return reinterpret<f64>(<i64>1 << <i64>(k + 1074));
  return 0;
}

@inline function ldexp(x: f64, k: i32): f64 {
  if (k >= -1022 && k <= 1023) return x * pow2(k);
  if (k > 1023) {
    if (k > 2200) return x == 0 ? 0 : x * Infinity;
    return x * pow2(1023) * pow2(k - 1023);
  }
  if (k < -2200) return x * 0;
  return x * pow2(-1022) * pow2(k + 1022);
}

@inline function exponentOf(x: f64): i32 {
  if (x == 0 || !isFinite(x)) return 0;
  const biased = <i32>((reinterpret<i64>(x) >>> 52) & 0x7ff);
  if (biased != 0) return biased - 1023;
  return exponentOf(x * 18446744073709551616.0) - 64; // subnormal
}

// ---- layout ----

function levelCountFor(last: i32, k: i32): i32 {
  return last >= 1 ? (last - 1) >> k : 0;
}

/** Lays out memory for a reference of `length` entries and `pixels` outputs; returns 0 on success. */
export function layout(length: i32, pixels: i32): i32 {
  const last = length - 1;
  levels = 0;
  tableEntries = 0;
  for (let k = 0; k < MAX_LEVELS; k++) {
    const count = levelCountFor(last, k);
    if (count <= 0) break;
    store<i32>(LEVEL_OFFSET + (<usize>k << 2), tableEntries);
    store<i32>(LEVEL_COUNT + (<usize>k << 2), count);
    tableEntries += count;
    levels = k + 1;
  }
  refLength = length;
  refRe = (__heap_base + 15) & ~15;
  refIm = refRe + (<usize>length << 3);
  const t = <usize>tableEntries;
  tAr = refIm + (<usize>length << 3);
  tAi = tAr + (t << 3);
  tBr = tAi + (t << 3);
  tBi = tBr + (t << 3);
  tRm = tBi + (t << 3);
  tEa = tRm + (t << 3);
  tEb = tEa + (t << 2);
  tEr = tEb + (t << 2);
  tR2 = (tEr + (t << 2) + 7) & ~7;
  tPa = tR2 + (t << 3);
  tPb = tPa + (t << 4);
  tableEnd = tPb + (t << 4);
  tZeros = (tableEnd + 15) & ~15;
  countsPtr = (tZeros + (<usize>length << 3) + 15) & ~15;
  escRePtr = (countsPtr + (<usize>pixels << 2) + 15) & ~15;
  escImPtr = escRePtr + (<usize>pixels << 3);
  const end = escImPtr + (<usize>pixels << 3);
  const pagesNeeded = <i32>((end + 0xffff) >>> 16);
  const pagesHave = memory.size();
  if (pagesNeeded > pagesHave && memory.grow(pagesNeeded - pagesHave) < 0) return 1;
  memory.fill(tZeros, 0, <usize>length << 3);
  return 0;
}

export function refRePointer(): usize { return refRe; }
export function refImPointer(): usize { return refIm; }
export function tablePointer(): usize { return tAr; }
export function tableByteLength(): usize { return tableEnd - tAr; }
export function countsPointer(): usize { return countsPtr; }
export function escapeRePointer(): usize { return escRePtr; }
export function escapeImPointer(): usize { return escImPtr; }
export function stepsRun(): f64 { return statSteps; }
export function blaStepsRun(): f64 { return statBla; }
export function rebasesMade(): f64 { return statRebases; }
export function pairedStepsRun(): f64 { return statPaired; }

// ---- BLA table ----

// Complex and real float-exp scratch results (mantissa max component in [1, 2), or all 0).
let xr: f64 = 0;
let xi: f64 = 0;
let xe: i32 = 0;

function normalizeComplex(re: f64, im: f64, e: i32): void {
  const big = max(abs(re), abs(im));
  if (big == 0 || !isFinite(big)) {
    xr = big == 0 ? 0 : re;
    xi = big == 0 ? 0 : im;
    xe = 0;
    return;
  }
  const k = exponentOf(big);
  xr = ldexp(re, -k);
  xi = ldexp(im, -k);
  xe = e + k;
}

/** Real float-exp: (x, e) → xr in [1, 2) or 0, xe. */
function normalizeReal(x: f64, e: i32): void {
  if (x <= 0 || !isFinite(x)) {
    xr = x > 0 ? x : 0;
    xe = 0;
    return;
  }
  const k = exponentOf(x);
  xr = ldexp(x, -k);
  xe = e + k;
}

/**
 * Builds the table for pixel offsets up to 2^cmaxExp. Level 0 entry j: one step from m = j + 1,
 * A = 2·Z(m), B = 1, valid while |z| < R = epsilon·|A|. Level k entry j merges level k − 1
 * entries 2j (x, first) and 2j + 1 (y): A = Ay·Ax, B = Ay·Bx + By,
 * R = max(0, min(Rx, (Ry − |Bx|·|c|max) / |Ax|)).
 */
export function buildTable(cmaxExp: i32, epsilon: f64): void {
  const count0 = levels > 0 ? load<i32>(LEVEL_COUNT) : 0;
  for (let j = 0; j < count0; j++) {
    const m = j + 1;
    const zr = load<f64>(refRe + (<usize>m << 3));
    const zi = load<f64>(refIm + (<usize>m << 3));
    normalizeComplex(zr + zr, zi + zi, 0);
    const o = <usize>j;
    store<f64>(tAr + (o << 3), xr);
    store<f64>(tAi + (o << 3), xi);
    store<i32>(tEa + (o << 2), xe);
    store<f64>(tBr + (o << 3), 1);
    store<f64>(tBi + (o << 3), 0);
    store<i32>(tEb + (o << 2), 0);
    const ae = xe;
    normalizeReal(epsilon * sqrt(xr * xr + xi * xi), ae);
    store<f64>(tRm + (o << 3), xr);
    store<i32>(tEr + (o << 2), xe);
  }
  for (let k = 1; k < levels; k++) {
    const base = <usize>load<i32>(LEVEL_OFFSET + (<usize>k << 2));
    const prev = <usize>load<i32>(LEVEL_OFFSET + (<usize>(k - 1) << 2));
    const count = load<i32>(LEVEL_COUNT + (<usize>k << 2));
    for (let j = 0; j < count; j++) {
      const x = prev + (<usize>j << 1);
      const y = x + 1;
      const o = base + <usize>j;
      const axr = load<f64>(tAr + (x << 3));
      const axi = load<f64>(tAi + (x << 3));
      const axe = load<i32>(tEa + (x << 2));
      const bxr = load<f64>(tBr + (x << 3));
      const bxi = load<f64>(tBi + (x << 3));
      const bxe = load<i32>(tEb + (x << 2));
      const ayr = load<f64>(tAr + (y << 3));
      const ayi = load<f64>(tAi + (y << 3));
      const aye = load<i32>(tEa + (y << 2));
      const byr = load<f64>(tBr + (y << 3));
      const byi = load<f64>(tBi + (y << 3));
      const bye = load<i32>(tEb + (y << 2));
      // A = Ay·Ax
      normalizeComplex(ayr * axr - ayi * axi, ayr * axi + ayi * axr, aye + axe);
      store<f64>(tAr + (o << 3), xr);
      store<f64>(tAi + (o << 3), xi);
      store<i32>(tEa + (o << 2), xe);
      // B = Ay·Bx + By, added at the larger exponent
      const pr = ayr * bxr - ayi * bxi;
      const pi = ayr * bxi + ayi * bxr;
      const pe = aye + bxe;
      let sr: f64;
      let si: f64;
      let se: i32;
      if (pr == 0 && pi == 0) {
        sr = byr;
        si = byi;
        se = bye;
      } else if (byr == 0 && byi == 0) {
        sr = pr;
        si = pi;
        se = pe;
      } else {
        se = max(pe, bye);
        sr = ldexp(pr, pe - se) + ldexp(byr, bye - se);
        si = ldexp(pi, pe - se) + ldexp(byi, bye - se);
      }
      normalizeComplex(sr, si, se);
      store<f64>(tBr + (o << 3), xr);
      store<f64>(tBi + (o << 3), xi);
      store<i32>(tEb + (o << 2), xe);
      // R
      const rxm = load<f64>(tRm + (x << 3));
      const rxe = load<i32>(tEr + (x << 2));
      const rym = load<f64>(tRm + (y << 3));
      const rye = load<i32>(tEr + (y << 2));
      let rm: f64 = 0;
      let re: i32 = 0;
      const axAbs = sqrt(axr * axr + axi * axi);
      if (rym > 0 && rxm > 0 && axAbs > 0) {
        const bAbs = sqrt(bxr * bxr + bxi * bxi);
        const be = bxe + cmaxExp;
        let diff: f64;
        let de: i32;
        if (bAbs == 0) {
          diff = rym;
          de = rye;
        } else {
          de = max(rye, be);
          diff = ldexp(rym, rye - de) - ldexp(bAbs, be - de);
        }
        if (diff > 0) {
          normalizeReal(diff / axAbs, de - axe);
          rm = xr;
          re = xe;
          // min with Rx (both normalised: compare exponents, then mantissas)
          if (rxe < re || (rxe == re && rxm < rm)) {
            rm = rxm;
            re = rxe;
          }
        }
      }
      store<f64>(tRm + (o << 3), rm);
      store<i32>(tEr + (o << 2), re);
    }
  }
  // R² as a plain double, for the test of plain (s = 0) deltas: the same value blaValid computes.
  for (let e: usize = 0; e < <usize>tableEntries; e++) {
    const rm = load<f64>(tRm + (e << 3));
    const d2 = load<i32>(tEr + (e << 2)) << 1;
    const r2 = rm == 0 || d2 < -1000 ? 0 : d2 > 1000 ? Infinity : rm * rm * pow2(d2);
    store<f64>(tR2 + (e << 3), r2);
    // Plain A and B: the BLA step of a plain delta then needs no float-exp arithmetic. Scaling by a
    // power of two is exact, so this gives the float-exp result wherever both are normal.
    const ea = load<i32>(tEa + (e << 2));
    const eb = load<i32>(tEb + (e << 2));
    const aOk = ea > -900 && ea < 900;
    const bOk = eb > -900 && eb < 900;
    store<f64>(tPa + (e << 4), aOk ? ldexp(load<f64>(tAr + (e << 3)), ea) : NaN);
    store<f64>(tPa + (e << 4) + 8, aOk ? ldexp(load<f64>(tAi + (e << 3)), ea) : NaN);
    store<f64>(tPb + (e << 4), bOk ? ldexp(load<f64>(tBr + (e << 3)), eb) : NaN);
    store<f64>(tPb + (e << 4) + 8, bOk ? ldexp(load<f64>(tBi + (e << 3)), eb) : NaN);
  }
}

// ---- the per-pixel loop ----

// State of the pixel being iterated (globals only across settle calls; the loop keeps locals).
let wr: f64 = 0;
let wi: f64 = 0;
let ws: i32 = 0;
let wf: f64 = 1;
let csr: f64 = 0;
let csi: f64 = 0;
let cr: f64 = 0;
let ci: f64 = 0;
let ce: i32 = 0;
let extended: bool = true;

/** Canonical offset (../perturb.ts canonicalOffset) into cr, ci, ce. */
function canonical(re: f64, im: f64, exponent: i32): void {
  const big = max(abs(re), abs(im));
  if (big == 0) {
    cr = 0;
    ci = 0;
    ce = 0;
    return;
  }
  const shift = 52 - exponentOf(big);
  cr = ldexp(re, shift);
  ci = ldexp(im, shift);
  ce = exponent - shift;
}

/** ../perturb.ts settle(), exactly. */
function settle(): void {
  if (!extended) {
    if (ws != 0) {
      wr = ldexp(wr, ws);
      wi = ldexp(wi, ws);
      ws = 0;
    }
  } else {
    if (ws == 0) {
      const mag = wr * wr + wi * wi;
      if (mag >= PLAIN_MIN_MAGNITUDE_SQ || mag == 0) {
        wf = 1;
        csr = ldexp(cr, ce);
        csi = ldexp(ci, ce);
        return;
      }
      wr = ldexp(wr, -PLAIN_TO_SCALED_EXP);
      wi = ldexp(wi, -PLAIN_TO_SCALED_EXP);
      ws = PLAIN_TO_SCALED_EXP;
    }
    for (;;) {
      const mag = wr * wr + wi * wi;
      if (mag > SCALED_MAX_SQ) {
        wr = ldexp(wr, -64);
        wi = ldexp(wi, -64);
        ws += 64;
      } else if (mag < SCALED_MIN_SQ && mag != 0 && ws - 64 >= ce - SCALED_EXP_FLOOR) {
        wr = ldexp(wr, 64);
        wi = ldexp(wi, 64);
        ws -= 64;
      } else break;
    }
    if (ws < ce - SCALED_EXP_FLOOR) {
      wr = ldexp(wr, ws - (ce - SCALED_EXP_FLOOR));
      wi = ldexp(wi, ws - (ce - SCALED_EXP_FLOOR));
      ws = ce - SCALED_EXP_FLOOR;
    }
    if (ws >= SCALED_TO_PLAIN_EXP) {
      wr = ldexp(wr, ws);
      wi = ldexp(wi, ws);
      ws = 0;
    }
  }
  wf = ws == 0 ? 1 : pow2(ws);
  csr = ldexp(cr, ce - ws);
  csi = ldexp(ci, ce - ws);
}

/**
 * After a BLA step the delta may be at any exponent: bring it to the representation rules (plain
 * when |z| >= 2^-480, else scaled with |w| in [1, 2)), then settle().
 */
function settleAny(): void {
  const big = max(abs(wr), abs(wi));
  if (big == 0) {
    wr = 0;
    wi = 0;
    ws = 0;
  } else if (!isFinite(big)) {
    ws = 0;
  } else {
    const k = exponentOf(big);
    if (!extended || ws + k >= PLAIN_MIN_EXP) {
      wr = ldexp(wr, ws);
      wi = ldexp(wi, ws);
      ws = 0;
    } else {
      wr = ldexp(wr, -k);
      wi = ldexp(wi, -k);
      ws += k;
      if (ws >= ce - SCALED_EXP_FLOOR) {
        // |w| is now in [1, 2) and ws < -480: settle() would only set the scale factors
        wf = pow2(ws);
        csr = ldexp(cr, ce - ws);
        csi = ldexp(ci, ce - ws);
        return;
      }
    }
  }
  settle();
}

/** Is |w|·2^ws < R of table entry e? */
@inline function blaValid(e: usize, mag: f64, s: i32): bool {
  const rm = load<f64>(tRm + (e << 3));
  if (rm == 0) return false;
  const d2 = (load<i32>(tEr + (e << 2)) - s) << 1;
  if (d2 > 1000) return true;
  if (d2 < -1000) return false;
  return mag < rm * rm * pow2(d2);
}

// ---- the per-pixel loop, two pixels at a time ----
//
// A perturbation step is one chain of dependent operations (about 12 cycles), so a lone pixel
// leaves most of the core idle. Two pixels ("lanes") whose deltas are plain step together in one
// f64x2 (pairSteps): per lane the same IEEE operations in the same order as the one-pixel fast path,
// so the same bits. Anything but a plain step (escape, rebase, a BLA entry, the end of the
// reference or the budget, a delta leaving plain range) hands that lane to the one-pixel loop
// (runLane), which takes it through exactly what it would have done alone and gives it back at its
// next plain step. Each pixel's arithmetic is independent of which lane runs it and of the other
// lane, so the counts are those of one pixel at a time (tests: FLAG_ONE_LANE). Measured: README
// "Two pixels per step".

/** Lane states live in memory between runLane calls (f64 fields, then i32 fields). */
const LANE_STRIDE: usize = 128;
const LANES = memory.data(<i32>(2 * LANE_STRIDE), 16);
const L_ZWR: usize = 0;
const L_ZWI: usize = 8;
const L_F: usize = 16;
const L_SAVED_R: usize = 24;
const L_SAVED_I: usize = 32;
const L_CR: usize = 40;
const L_CI: usize = 48;
const L_CSR: usize = 56;
const L_CSI: usize = 64;
const L_S: usize = 72;
const L_N: usize = 76;
const L_M: usize = 80;
const L_BLOCKED: usize = 84;
const L_JUST_BLA: usize = 88;
const L_SAVED_S: usize = 92;
const L_SAVED_M: usize = 96;
const L_SAVED_N: usize = 100;
const L_CE: usize = 104;
const L_PIXEL: usize = 108;

// runLane's outcomes
const READY: i32 = 1;
const DONE: i32 = 0;
/** pairSteps calls of a render call after which pairing must have paid (see render). */
const PAIR_TRIAL_SESSIONS: i32 = 64;
/** Steps per pairSteps call below which pairing costs more than it gains (README "Two pixels per step"). */
const MIN_PAIRED_PER_SESSION: i32 = 32;

// The grid of the current render call.
let gWidth: i32 = 0;
let gRowStart: i32 = 0;
let gC0re: f64 = 0;
let gC0im: f64 = 0;
let gStep: f64 = 0;
let gExponent: i32 = 0;
let gMaxIter: i32 = 0;
let gUseBla = false;
let gRebase = false;
let nextPixel: i32 = 0;
let endPixel: i32 = 0;

@inline function laneBase(lane: i32): usize {
  return LANES + <usize>lane * LANE_STRIDE;
}

/** Puts pixel `index` of the call's rows into lane `lane`, at its first step. */
function startPixel(lane: i32, index: i32): void {
  const py = gRowStart + index / gWidth;
  const px = index % gWidth;
  canonical(gC0re + <f64>px * gStep, gC0im - <f64>py * gStep, gExponent);
  wr = cr;
  wi = ci;
  ws = ce;
  settle();
  const b = laneBase(lane);
  store<f64>(b + L_ZWR, wr);
  store<f64>(b + L_ZWI, wi);
  store<f64>(b + L_F, wf);
  store<f64>(b + L_SAVED_R, 0);
  store<f64>(b + L_SAVED_I, 0);
  store<f64>(b + L_CR, cr);
  store<f64>(b + L_CI, ci);
  store<f64>(b + L_CSR, csr);
  store<f64>(b + L_CSI, csi);
  store<i32>(b + L_S, ws);
  store<i32>(b + L_N, 1);
  store<i32>(b + L_M, 1);
  store<i32>(b + L_BLOCKED, 0);
  store<i32>(b + L_JUST_BLA, 0);
  store<i32>(b + L_SAVED_S, 0);
  store<i32>(b + L_SAVED_M, 0);
  store<i32>(b + L_SAVED_N, 0);
  store<i32>(b + L_CE, ce);
  store<i32>(b + L_PIXEL, py * gWidth + px);
}

// BLA jumps of plain deltas: plainJump's outcomes, and the results of longestEntry and plainJump
const JUMP_TAKEN: i32 = 0;
const JUMP_REFUSED: i32 = 1;
const JUMP_ESCAPES: i32 = 2;
let jumpEntry: usize = 0;
let jumpLength: i32 = 0;
let jumpRe: f64 = 0;
let jumpIm: f64 = 0;

/**
 * The longest table entry from step m valid for a delta of squared magnitude `wmag` whose level-0
 * entry is valid, within the budget: jumpEntry, jumpLength. Valid entries from one start form a
 * prefix of the levels (each level's radius is at most the one below it), so the first invalid
 * level ends the search.
 */
@inline function longestEntry(m: i32, n: i32, wmag: f64, maxIter: i32): void {
  const j = m - 1;
  let e: usize = <usize>j; // level 0 starts at offset 0
  let len: i32 = 1;
  for (let k = 1; k < levels; k++) {
    const lk = 1 << k;
    if ((j & (lk - 1)) != 0) break;
    const idx = j >> k;
    if (idx >= load<i32>(LEVEL_COUNT + (<usize>k << 2))) break;
    if (n > maxIter - lk) break;
    const ek = load<i32>(LEVEL_OFFSET + (<usize>k << 2)) + idx;
    if (!(wmag < load<f64>(tR2 + (<usize>ek << 3)))) break;
    e = <usize>ek;
    len = lk;
  }
  jumpEntry = e;
  jumpLength = len;
}

/**
 * A plain delta's jump by table entry e with plain coefficients, z ← A·z + B·c in doubles, into jumpRe and
 * jumpIm: the one formula of the general loop's plain jumps and the fast path's, which must give the same bits.
 */
@inline function plainEntryStep(e: usize, zwr: f64, zwi: f64, cr: f64, ci: f64): void {
  const pa = tPa + (e << 4);
  const pb = tPb + (e << 4);
  const par = load<f64>(pa);
  const pai = load<f64>(pa + 8);
  const pbr = load<f64>(pb);
  const pbi = load<f64>(pb + 8);
  jumpRe = par * zwr - pai * zwi + (pbr * cr - pbi * ci);
  jumpIm = par * zwi + pai * zwr + (pbr * ci + pbi * cr);
}

/**
 * The fast path's BLA step of a plain delta (whose level-0 entry at m is valid): the general loop's
 * lookup (the longest valid entry) and its arithmetic in plain doubles, then, for a jump of two steps
 * or more, its escape test at the end. Same decisions, same bits as the general loop. JUMP_TAKEN:
 * the result is jumpRe, jumpIm, jumpLength steps on. JUMP_ESCAPES: the pixel escaped inside the jump
 * of jumpLength steps (redo it step by step). JUMP_REFUSED: scaled coefficients or a result below
 * plain range; the general loop takes it.
 */
@inline function plainJump(zwr: f64, zwi: f64, wmag: f64, lcr: f64, lci: f64, m: i32, n: i32, maxIter: i32): i32 {
  longestEntry(m, n, wmag, maxIter);
  const e = jumpEntry;
  const len = jumpLength;
  const par = load<f64>(tPa + (e << 4));
  const pbr = load<f64>(tPb + (e << 4));
  if (par != par || pbr != pbr) return JUMP_REFUSED;
  plainEntryStep(e, zwr, zwi, lcr, lci);
  const br2 = jumpRe;
  const bi2 = jumpIm;
  const bmag = br2 * br2 + bi2 * bi2;
  if (extended && bmag < PLAIN_MIN_MAGNITUDE_SQ && bmag != 0) return JUMP_REFUSED;
  if (len > 1) {
    const jr = load<f64>(refRe + (<usize>(m + len) << 3)) + br2;
    const ji = load<f64>(refIm + (<usize>(m + len) << 3)) + bi2;
    const jfull = jr * jr + ji * ji;
    if (jfull > 4 || jfull != jfull) return JUMP_ESCAPES;
  }
  return JUMP_TAKEN;
}

/**
 * Runs lane `lane`'s pixel through the one-pixel loop. With `pairable`, returns READY right after
 * its next plain perturbation step in the fast path (state saved in the lane); otherwise, or when the
 * pixel finishes first, stores its count (and escape value) and returns DONE.
 */
function runLane(lane: i32, pairable: bool): i32 {
  const lb = laneBase(lane);
  const maxIter = gMaxIter;
  const useBla = gUseBla;
  const rebase = gRebase;
  const last = refLength - 1;
  cr = load<f64>(lb + L_CR);
  ci = load<f64>(lb + L_CI);
  ce = load<i32>(lb + L_CE);
  csr = load<f64>(lb + L_CSR);
  csi = load<f64>(lb + L_CSI);
  // c·2^ce is a normal double: plain BLA steps may use it (else B·c needs float-exp).
  const plainC = ce >= -960;
  let zwr = load<f64>(lb + L_ZWR);
  let zwi = load<f64>(lb + L_ZWI);
  let s = load<i32>(lb + L_S);
  let f = load<f64>(lb + L_F);
  let n = load<i32>(lb + L_N);
  let m = load<i32>(lb + L_M);
  let count = maxIter;
  // BLA bookkeeping: the state before the last BLA step, to redo it step by step on escape.
  let blaBlockedUntil = load<i32>(lb + L_BLOCKED);
  let justBla = load<i32>(lb + L_JUST_BLA) != 0;
  let savedR = load<f64>(lb + L_SAVED_R);
  let savedI = load<f64>(lb + L_SAVED_I);
  let savedS = load<i32>(lb + L_SAVED_S);
  let savedM = load<i32>(lb + L_SAVED_M);
  let savedN = load<i32>(lb + L_SAVED_N);
  let steps: f64 = 0;
  let blaSteps: f64 = 0;
  let rebases: f64 = 0;
  let ready = false;
  for (;;) {
    let zr = load<f64>(refRe + (<usize>m << 3));
    let zi = load<f64>(refIm + (<usize>m << 3));
    const fr = zr + zwr * f;
    const fi = zi + zwi * f;
    const full = fr * fr + fi * fi;
    if (full > 4 || (justBla && full != full)) {
      if (justBla) {
        // escaped somewhere inside the skipped steps (or the jump overflowed): redo them one by one
        blaBlockedUntil = n;
        zwr = savedR;
        zwi = savedI;
        s = savedS;
        m = savedM;
        n = savedN;
        wr = zwr;
        wi = zwi;
        ws = s;
        settle();
        zwr = wr;
        zwi = wi;
        s = ws;
        f = wf;
        justBla = false;
        continue;
      }
      count = n;
      const o = <usize>load<i32>(lb + L_PIXEL);
      store<f64>(escRePtr + (o << 3), fr);
      store<f64>(escImPtr + (o << 3), fi);
      break;
    }
    justBla = false;
    if (n >= maxIter) break;
    // Rebase (Zhuoran): the delta becomes Z(m) + z and m restarts at 0. Always at the end of the
    // reference; else where the pixel is nearer 0 than its delta (scaled: only near Z = 0).
    let rebased = false;
    if (m == last || (rebase && s == 0 && full < zwr * zwr + zwi * zwi)) {
      wr = fr;
      wi = fi;
      ws = 0;
      rebased = true;
    } else if (rebase && s != 0 && zr * zr + zi * zi < SCALED_REBASE_Z_SQ && exponentOf(abs(zr) + abs(zi)) - s < 900) {
      const gr = ldexp(zr, -s) + zwr;
      const gi = ldexp(zi, -s) + zwi;
      if (gr * gr + gi * gi < zwr * zwr + zwi * zwi) {
        wr = gr;
        wi = gi;
        ws = s;
        rebased = true;
      }
    }
    if (rebased) {
      m = 0;
      zr = 0; // Z(0)
      zi = 0;
      rebases++;
      settle();
      zwr = wr;
      zwi = wi;
      s = ws;
      f = wf;
    }
    let oneStepBla = false;
    if (useBla && m >= 1 && n >= blaBlockedUntil) {
      // the longest valid table entry starting at m
      const j = m - 1;
      const mag = zwr * zwr + zwi * zwi;
      let found: i32 = -1;
      let foundLen: i32 = 0;
      for (let k = 0; k < levels; k++) {
        const len = 1 << k;
        if ((j & (len - 1)) != 0) break;
        const idx = j >> k;
        if (idx >= load<i32>(LEVEL_COUNT + (<usize>k << 2))) break;
        if (n > maxIter - len) break;
        const e = load<i32>(LEVEL_OFFSET + (<usize>k << 2)) + idx;
        if (s == 0 ? !(mag < load<f64>(tR2 + (<usize>e << 3))) : !blaValid(<usize>e, mag, s)) break;
        found = e;
        foundLen = len;
      }
      if (found >= 0) {
        const e = <usize>found;
        savedR = zwr;
        savedI = zwi;
        savedS = s;
        savedM = m;
        savedN = n;
        const par = load<f64>(tPa + (e << 4));
        const pbr = load<f64>(tPb + (e << 4));
        if (s == 0 && plainC && par == par && pbr == pbr) {
          // plain delta, plain coefficients (c·2^ce is csr, csi here)
          plainEntryStep(e, zwr, zwi, csr, csi);
          wr = jumpRe;
          wi = jumpIm;
          ws = 0;
          const mag2 = wr * wr + wi * wi;
          if (extended && mag2 < PLAIN_MIN_MAGNITUDE_SQ && mag2 != 0) settle();
        } else {
          const ar = load<f64>(tAr + (e << 3));
          const ai = load<f64>(tAi + (e << 3));
          const e1 = load<i32>(tEa + (e << 2)) + s;
          const br = load<f64>(tBr + (e << 3));
          const bi = load<f64>(tBi + (e << 3));
          const e2 = load<i32>(tEb + (e << 2)) + ce;
          const t1r = ar * zwr - ai * zwi;
          const t1i = ar * zwi + ai * zwr;
          const t2r = br * cr - bi * ci;
          const t2i = br * ci + bi * cr;
          if (t1r == 0 && t1i == 0) {
            wr = t2r;
            wi = t2i;
            ws = e2;
          } else if (t2r == 0 && t2i == 0) {
            wr = t1r;
            wi = t1i;
            ws = e1;
          } else {
            const em = max(e1, e2);
            wr = ldexp(t1r, e1 - em) + ldexp(t2r, e2 - em);
            wi = ldexp(t1i, e1 - em) + ldexp(t2i, e2 - em);
            ws = em;
          }
          settleAny();
        }
        zwr = wr;
        zwi = wi;
        s = ws;
        f = wf;
        m += foundLen;
        n += foundLen;
        blaSteps++;
        justBla = foundLen > 1;
        if (justBla || s != 0) continue;
        oneStepBla = true; // a plain one-step entry: on to the fast path, which continues the same way
      }
    }
    // one perturbation step: z ← (2Z + z)·z + c
    if (!oneStepBla) {
      const pr = zr + zr + zwr * f;
      const pi = zi + zi + zwi * f;
      const nr = pr * zwr - pi * zwi + csr;
      const ni = pr * zwi + pi * zwr + csi;
      zwr = nr;
      zwi = ni;
      m++;
      n++;
      steps++;
      const mag = zwr * zwr + zwi * zwi;
      if (s == 0 ? extended && mag < PLAIN_MIN_MAGNITUDE_SQ && mag != 0 : mag > SCALED_MAX_SQ || mag < SCALED_MIN_SQ) {
        wr = zwr;
        wi = zwi;
        ws = s;
        settle();
        zwr = wr;
        zwi = wi;
        s = ws;
        f = wf;
      }
    }
    oneStepBla = false;
    // Fast path for the common case, plain delta: plain perturbation steps as long as the loop
    // above would take nothing else (no escape, rebase, BLA entry, end of reference or mode
    // change); on any of those it hands the unchanged state back to the loop above, which
    // then decides exactly as it would have. Same arithmetic (f = 1), so the same bits. For the
    // same reason a pairable lane may leave here after any plain step, for pairSteps.
    if (s == 0) {
      const count0 = levels > 0 ? load<i32>(LEVEL_COUNT) : 0;
      const lcr = csr;
      const lci = csi;
      while (n < maxIter && m < last) {
        const zr2 = load<f64>(refRe + (<usize>m << 3));
        const zi2 = load<f64>(refIm + (<usize>m << 3));
        const gr = zr2 + zwr;
        const gi = zi2 + zwi;
        const g = gr * gr + gi * gi;
        if (g > 4) break;
        const wmag = zwr * zwr + zwi * zwi;
        if (rebase && g < wmag) break;
        if (useBla && n >= blaBlockedUntil && m >= 1 && m - 1 < count0 && wmag < load<f64>(tR2 + (<usize>(m - 1) << 3))) {
          // A plain BLA step, taken here instead of handing back for it (each round trip cost about
          // as much as three perturbation steps). Where only one-step entries are valid (every
          // step of tiles whose |c|max is near ε·|Z|: z33–z42) this keeps the whole pixel here.
          if (!plainC) break;
          const jump = plainJump(zwr, zwi, wmag, lcr, lci, m, n, maxIter);
          if (jump == JUMP_REFUSED) break;
          blaSteps++;
          if (jump == JUMP_ESCAPES) {
            blaBlockedUntil = n + jumpLength; // escaped inside the jump: redo it step by step
            continue;
          }
          zwr = jumpRe;
          zwi = jumpIm;
          m += jumpLength;
          n += jumpLength;
          continue;
        }
        const qr = zr2 + zr2 + zwr;
        const qi = zi2 + zi2 + zwi;
        const nr2 = qr * zwr - qi * zwi + lcr;
        const ni2 = qr * zwi + qi * zwr + lci;
        const mag2 = nr2 * nr2 + ni2 * ni2;
        if (extended && mag2 < PLAIN_MIN_MAGNITUDE_SQ && mag2 != 0) break;
        zwr = nr2;
        zwi = ni2;
        m++;
        n++;
        steps++;
        if (pairable) {
          ready = true;
          break;
        }
      }
      if (ready) break;
    } else {
      // The same kind of fast path for scaled deltas (|z| < 2^-480, from about z480): scaled steps
      // as long as the loop above would take nothing else (escape, a rebase near Z = 0, a BLA
      // entry, a rescale, the end of reference or budget); on any of those it hands the unchanged
      // state back. Same arithmetic in the same order, so the same bits. A delta below 2^-64 that
      // settle cannot scale up (its exponent is at the floor below c's) is no reason to leave: settle
      // would change nothing.
      const canScaleUp = s - 64 >= ce - SCALED_EXP_FLOOR;
      while (n < maxIter && m < last) {
        const zr2 = load<f64>(refRe + (<usize>m << 3));
        const zi2 = load<f64>(refIm + (<usize>m << 3));
        const sr = zwr * f;
        const si = zwi * f;
        const gr = zr2 + sr;
        const gi = zi2 + si;
        if (gr * gr + gi * gi > 4) break;
        if (rebase && zr2 * zr2 + zi2 * zi2 < SCALED_REBASE_Z_SQ) break;
        if (useBla && n >= blaBlockedUntil && blaValid(<usize>(m - 1), zwr * zwr + zwi * zwi, s)) break;
        const pr = zr2 + zr2 + sr;
        const pi = zi2 + zi2 + si;
        const nr = pr * zwr - pi * zwi + csr;
        const ni = pr * zwi + pi * zwr + csi;
        const mag = nr * nr + ni * ni;
        if (mag > SCALED_MAX_SQ || (mag < SCALED_MIN_SQ && mag != 0 && canScaleUp)) break;
        zwr = nr;
        zwi = ni;
        m++;
        n++;
        steps++;
      }
    }
  }
  statSteps += steps;
  statBla += blaSteps;
  statRebases += rebases;
  if (ready) {
    store<f64>(lb + L_ZWR, zwr);
    store<f64>(lb + L_ZWI, zwi);
    store<f64>(lb + L_F, f);
    store<f64>(lb + L_SAVED_R, savedR);
    store<f64>(lb + L_SAVED_I, savedI);
    store<f64>(lb + L_CSR, csr);
    store<f64>(lb + L_CSI, csi);
    store<i32>(lb + L_S, s);
    store<i32>(lb + L_N, n);
    store<i32>(lb + L_M, m);
    store<i32>(lb + L_BLOCKED, blaBlockedUntil);
    store<i32>(lb + L_JUST_BLA, justBla ? 1 : 0);
    store<i32>(lb + L_SAVED_S, savedS);
    store<i32>(lb + L_SAVED_M, savedM);
    store<i32>(lb + L_SAVED_N, savedN);
    return READY;
  }
  store<u32>(countsPtr + (<usize>load<i32>(lb + L_PIXEL) << 2), <u32>count);
  return DONE;
}

/** Z(m) of both lanes (lane 0 at m = ma, lane 1 at mb) from one of the reference's arrays. */
@inline function laneLoad(base: usize, ma: i32, mb: i32): v128 {
  return v128.load64_lane(base + (<usize>mb << 3), f64x2.splat(load<f64>(base + (<usize>ma << 3))), 1);
}

/** |re + i·im|² per lane: every magnitude the pair loops test or carry, in one order (the same bits). */
@inline function magnitudeSq(re: v128, im: v128): v128 {
  return f64x2.add(f64x2.mul(re, re), f64x2.mul(im, im));
}

/** One perturbation step per lane, w ← (2Z + w)·w + c, in the one-pixel fast path's order: real part. */
@inline function stepRe(zre: v128, zim: v128, wre: v128, wim: v128, cre: v128): v128 {
  const qr = f64x2.add(f64x2.add(zre, zre), wre);
  const qi = f64x2.add(f64x2.add(zim, zim), wim);
  return f64x2.add(f64x2.sub(f64x2.mul(qr, wre), f64x2.mul(qi, wim)), cre);
}

/** The same step's imaginary part. */
@inline function stepIm(zre: v128, zim: v128, wre: v128, wim: v128, cim: v128): v128 {
  const qr = f64x2.add(f64x2.add(zre, zre), wre);
  const qi = f64x2.add(f64x2.add(zim, zim), wim);
  return f64x2.add(f64x2.add(f64x2.mul(qr, wim), f64x2.mul(qi, wre)), cim);
}

/**
 * Plain perturbation steps of both lanes together (both READY: plain deltas) until either lane
 * meets anything else; each lane's operations are the one-pixel fast path's, in its order.
 * Returns which lanes must go back to runLane (bit 0: lane 0, bit 1: lane 1).
 */
function pairSteps(): i32 {
  const a = laneBase(0);
  const b = laneBase(1);
  let wre = f64x2.replace_lane(f64x2.splat(load<f64>(a + L_ZWR)), 1, load<f64>(b + L_ZWR));
  let wim = f64x2.replace_lane(f64x2.splat(load<f64>(a + L_ZWI)), 1, load<f64>(b + L_ZWI));
  let ma = load<i32>(a + L_M);
  let mb = load<i32>(b + L_M);
  // n − m is constant over plain steps, so "m < last and n < maxIter" is one bound on m
  const da = load<i32>(a + L_N) - ma;
  const db = load<i32>(b + L_N) - mb;
  const last = refLength - 1;
  let endA = min(last, gMaxIter - da);
  let endB = min(last, gMaxIter - db);
  // BLA's level-0 radius at m is tR2[m − 1]; a lane blocked from BLA (after an escape inside a
  // jump) reads zeros instead, and comes back when the block ends.
  let r2a = (gUseBla ? tR2 : tZeros) - 8;
  let r2b = r2a;
  if (gUseBla) {
    const blockedA = load<i32>(a + L_BLOCKED);
    if (ma + da < blockedA) {
      r2a = tZeros - 8;
      endA = min(endA, blockedA - da);
    }
    const blockedB = load<i32>(b + L_BLOCKED);
    if (mb + db < blockedB) {
      r2b = tZeros - 8;
      endB = min(endB, blockedB - db);
    }
  }
  const four = f64x2.splat(4);
  const plainMin = f64x2.splat(extended ? PLAIN_MIN_MAGNITUDE_SQ : 0);
  const zero = f64x2.splat(0);
  const rebaseMask = i64x2.splat(gRebase ? -1 : 0);
  const maxIter = gMaxIter;
  // c·2^ce of each lane, and whether it is a normal double (plain BLA steps need it)
  const csA = load<f64>(a + L_CSR);
  const ciA = load<f64>(a + L_CSI);
  const csB = load<f64>(b + L_CSR);
  const ciB = load<f64>(b + L_CSI);
  const plainCa = load<i32>(a + L_CE) >= -960;
  const plainCb = load<i32>(b + L_CE) >= -960;
  const cre = f64x2.replace_lane(f64x2.splat(csA), 1, csB);
  const cim = f64x2.replace_lane(f64x2.splat(ciA), 1, ciB);
  const notPlainC = i64x2.replace_lane(i64x2.splat(plainCa ? 0 : -1), 1, plainCb ? 0 : -1);
  let plainSteps: i32 = 0;
  let blaSteps: i32 = 0;
  let fired: i32 = 0;
  // Without BLA (the anchor's choice, or the caller's) no lane can jump: the same steps and tests in
  // a loop without the radius to load and test. A loop of its own, because V8 compiles the smaller
  // loop body much better (README "Two pixels per step": 30 % less time on BLA-free tiles, and the
  // BLA loop below got faster too). Per lane the same operations in the same order: same bits. Both
  // loops carry |w|² from one step's underflow test (or a jump's result) to the next step's tests:
  // the same operations on the same values.
  if (!gUseBla) {
    let wmag = magnitudeSq(wre, wim);
    for (;;) {
      if (ma >= endA) fired = 1;
      if (mb >= endB) fired |= 2;
      if (fired != 0) break;
      const zre = laneLoad(refRe, ma, mb);
      const zim = laneLoad(refIm, ma, mb);
      const g = magnitudeSq(f64x2.add(zre, wre), f64x2.add(zim, wim));
      const nr = stepRe(zre, zim, wre, wim, cre);
      const ni = stepIm(zre, zim, wre, wim, cim);
      const mag = magnitudeSq(nr, ni);
      const leave = v128.or(f64x2.gt(g, four), v128.and(f64x2.lt(g, wmag), rebaseMask));
      const under = v128.and(f64x2.lt(mag, plainMin), f64x2.ne(mag, zero));
      const stop = v128.or(leave, under);
      if (v128.any_true(stop)) {
        fired = i64x2.bitmask(stop);
        break;
      }
      wre = nr;
      wim = ni;
      wmag = mag; // |w|² of the new delta: the same operations, in the same order
      ma++;
      mb++;
      plainSteps += 2;
    }
  } else {
    let wmag = magnitudeSq(wre, wim);
    for (;;) {
      if (ma >= endA) fired = 1;
      if (mb >= endB) fired |= 2;
      if (fired != 0) break;
      const zre = laneLoad(refRe, ma, mb);
      const zim = laneLoad(refIm, ma, mb);
      const r2 = v128.load64_lane(r2b + (<usize>mb << 3), f64x2.splat(load<f64>(r2a + (<usize>ma << 3))), 1);
      const g = magnitudeSq(f64x2.add(zre, wre), f64x2.add(zim, wim));
      const nr = stepRe(zre, zim, wre, wim, cre);
      const ni = stepIm(zre, zim, wre, wim, cim);
      const mag = magnitudeSq(nr, ni);
      // Leave for runLane: escape, rebase, or a plain step below plain range (unless BLA replaces it).
      const hit = f64x2.lt(wmag, r2);
      const leave = v128.or(f64x2.gt(g, four), v128.and(f64x2.lt(g, wmag), rebaseMask));
      const under = v128.and(f64x2.lt(mag, plainMin), f64x2.ne(mag, zero));
      if (v128.any_true(v128.or(v128.or(leave, under), hit))) {
        const stop = i64x2.bitmask(v128.or(leave, v128.andnot(under, hit)));
        if (stop != 0) {
          fired = stop;
          break;
        }
        // A lane whose level-0 BLA entry is valid takes the fast path's BLA step (its longest valid
        // entry) instead of its plain step; anything the fast path would hand back, or an escape at
        // the jump's end, sends the lane to runLane unmoved. The other lane's lookup finds level 0
        // (its level 0 is not valid, so no longer level is) and its result is not used.
        const hits = i64x2.bitmask(hit);
        longestEntry(ma, ma + da, f64x2.extract_lane(wmag, 0), maxIter);
        const ea = jumpEntry << 4;
        const la = jumpLength;
        longestEntry(mb, mb + db, f64x2.extract_lane(wmag, 1), maxIter);
        const eb = jumpEntry << 4;
        const lb = jumpLength;
        const pa0 = v128.load(tPa + ea);
        const pa1 = v128.load(tPa + eb);
        const pb0 = v128.load(tPb + ea);
        const pb1 = v128.load(tPb + eb);
        const par = v128.shuffle<f64>(pa0, pa1, 0, 2);
        const pai = v128.shuffle<f64>(pa0, pa1, 1, 3);
        const pbr = v128.shuffle<f64>(pb0, pb1, 0, 2);
        const pbi = v128.shuffle<f64>(pb0, pb1, 1, 3);
        const br = f64x2.add(
          f64x2.sub(f64x2.mul(par, wre), f64x2.mul(pai, wim)),
          f64x2.sub(f64x2.mul(pbr, cre), f64x2.mul(pbi, cim)),
        );
        const bi = f64x2.add(
          f64x2.add(f64x2.mul(par, wim), f64x2.mul(pai, wre)),
          f64x2.add(f64x2.mul(pbr, cim), f64x2.mul(pbi, cre)),
        );
        const bmag = magnitudeSq(br, bi);
        const jr = f64x2.add(laneLoad(refRe, ma + la, mb + lb), br);
        const ji = f64x2.add(laneLoad(refIm, ma + la, mb + lb), bi);
        const jfull = magnitudeSq(jr, ji);
        const refused = v128.or(
          v128.or(notPlainC, v128.or(f64x2.ne(par, par), f64x2.ne(pbr, pbr))),
          v128.or(
            v128.and(f64x2.lt(bmag, plainMin), f64x2.ne(bmag, zero)),
            v128.or(f64x2.gt(jfull, four), f64x2.ne(jfull, jfull)),
          ),
        );
        const back = i64x2.bitmask(v128.and(refused, hit));
        if (back != 0) {
          fired = back;
          break;
        }
        wre = v128.bitselect(br, nr, hit);
        wim = v128.bitselect(bi, ni, hit);
        wmag = v128.bitselect(bmag, mag, hit);
        ma += select<i32>(la, 1, (hits & 1) != 0);
        mb += select<i32>(lb, 1, (hits & 2) != 0);
        const jumps = <i32>popcnt(hits);
        blaSteps += jumps;
        plainSteps += 2 - jumps;
        continue;
      }
      wre = nr;
      wim = ni;
      wmag = mag;
      ma++;
      mb++;
      plainSteps += 2;
    }
  }
  store<f64>(a + L_ZWR, f64x2.extract_lane(wre, 0));
  store<f64>(b + L_ZWR, f64x2.extract_lane(wre, 1));
  store<f64>(a + L_ZWI, f64x2.extract_lane(wim, 0));
  store<f64>(b + L_ZWI, f64x2.extract_lane(wim, 1));
  store<i32>(a + L_M, ma);
  store<i32>(b + L_M, mb);
  store<i32>(a + L_N, ma + da);
  store<i32>(b + L_N, mb + db);
  statSteps += <f64>plainSteps;
  statBla += <f64>blaSteps;
  statPaired += <f64>(plainSteps + blaSteps);
  return fired;
}

/** Lane `lane` takes the next pixels until one is READY; false when none is left. */
function startLane(lane: i32, pairable: bool): bool {
  while (nextPixel < endPixel) {
    startPixel(lane, nextPixel++);
    if (runLane(lane, pairable) == READY) return true;
  }
  return false;
}

/** Lane `lane` goes on with its pixel, then the next ones, until one is READY; false when done. */
function continueLane(lane: i32, pairable: bool): bool {
  if (runLane(lane, pairable) == READY) return true;
  return startLane(lane, pairable);
}

/**
 * Counts of rows [rowStart, rowEnd) of a grid of pixels: pixel (px, py) has offset c = (c0re + px·step, c0im − py·step)·2^exponent
 * from the reference point. Writes counts and escape values (Z(m) + z) for escaped pixels.
 */
export function render(
  width: i32,
  rowStart: i32,
  rowEnd: i32,
  c0re: f64,
  c0im: f64,
  step: f64,
  exponent: i32,
  maxIter: i32,
  flags: i32,
): void {
  gUseBla = (flags & FLAG_BLA) != 0 && levels > 0;
  gRebase = (flags & FLAG_REBASE) != 0;
  extended = (flags & FLAG_EXTENDED) != 0;
  gWidth = width;
  gRowStart = rowStart;
  gC0re = c0re;
  gC0im = c0im;
  gStep = step;
  gExponent = exponent;
  gMaxIter = maxIter;
  nextPixel = 0;
  endPixel = (rowEnd - rowStart) * width;
  statSteps = 0;
  statBla = 0;
  statRebases = 0;
  statPaired = 0;
  if ((flags & FLAG_ONE_LANE) != 0) {
    startLane(0, false);
    return;
  }
  let a = startLane(0, true);
  let b = a && startLane(1, true);
  let sessions: i32 = 0;
  const pairedBefore = statPaired;
  while (a && b) {
    const fired = pairSteps();
    // Each hand-back costs about as much as a few dozen steps; where pixels leave the pair loop
    // every few steps (deltas mostly scaled, z ≳ 480: README "Two pixels per step") pairing loses,
    // so after a trial the rest of the call goes one pixel at a time. Same counts either way.
    if (++sessions == PAIR_TRIAL_SESSIONS && statPaired - pairedBefore < <f64>(PAIR_TRIAL_SESSIONS * MIN_PAIRED_PER_SESSION)) {
      break;
    }
    if ((fired & 1) != 0) a = continueLane(0, true);
    if ((fired & 2) != 0) b = continueLane(1, true);
  }
  if (a) continueLane(0, false);
  if (b) continueLane(1, false);
}
