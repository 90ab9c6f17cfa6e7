/**
 * Deep tiles and views: pixel grids relative to an anchor's reference orbit, the counts from the
 * perturbation loop (wasm, or the TypeScript definition), then the smooth values.
 */
import { smoothEscapeValue } from "../kernel/smooth";
import { ldexp } from "./bigfloat";
import { fixedToFloat64, parseDecimal } from "./fixed";
import {
  ANCHOR_LEVELS,
  DEEP_MAX_ZOOM,
  anchorId,
  anchorOf,
  assertDeepTile,
  assertMaxIter,
  tilePixelGrid,
  type Anchor,
  type DeepTileInput,
  type PixelGrid,
} from "./geometry";
import { canonicalOffset, perturbGrid, type PixelCounts } from "./perturb";
import { referencePoint, type ReferenceOrbit } from "./reference";
import { computeReference } from "./select";
import { tileProvablyInterior } from "./interior";
import { proveInteriorRects, referenceCycle, type Rect } from "./interior-proof";
import { deepWasmAvailable, perturbGridWasm } from "./wasm";

export interface DeepOptions {
  /**
   * Bilinear approximation (iteration skipping): by default (true) where the anchor's reference says
   * it pays (ReferenceOrbit.blaPays, bla-choice.ts); false: never; "always": also where it does not
   * pay (tests and measurements).
   */
  bla?: boolean | "always";
  /** Rebasing (Zhuoran); default true. Off only for tests and measurements. */
  rebase?: boolean;
  /** Scaled doubles below 2^-480; default true. Off only for tests and measurements. */
  extendedRange?: boolean;
  /** Two pixels per f64x2 step (same counts, faster); default true. Off only for tests and measurements. */
  pairs?: boolean;
  /** "wasm" (default where available) or "js" (the TypeScript definition, BLA not available). */
  engine?: "wasm" | "js";
  /** Tiles provably inside the main cardioid or period-2 bulb skip iteration (interior.ts); default true. */
  interiorShortcut?: boolean;
  /** Rectangles of pixels proven inside any hyperbolic component skip iteration (interior-proof.ts); default true. */
  interiorProofs?: boolean;
  /**
   * Refuse a tile (LoopTooCostlyError, before its loop runs) whose plan estimates more loop steps
   * than this. Decides only whether the tile is rendered here: a tile is rendered whole or not at all.
   */
  maxLoopSteps?: number;
}

export interface DeepStats {
  engine: "wasm" | "js";
  /** ms computing the reference orbit (0 when it was passed in). */
  referenceMs: number;
  /** ms building the BLA table (0 when already built for this orbit object, or BLA off). */
  blaMs: number;
  /** ms in the per-pixel loop. */
  pixelsMs: number;
  /** ms for the smooth values. */
  smoothMs: number;
  /** ms proving rectangles interior (BigInt cycles and discs; the probes count as pixelsMs), and the pixels so proven. */
  proofMs: number;
  pixelsProven: number;
  /** BigInt iterations the proofs spent (bounded: interior-proof.ts proofWorkLimit). */
  proofBigintSteps: number;
  totalMs: number;
  pixels: number;
  /** Σ counts: the iterations the pixels are counted as having made. */
  iterationsCounted: number;
  /** The loop steps the plan expected the open rectangles to cost (estimateOpenSteps), probes excluded. */
  estimatedLoopSteps: number;
  /** Perturbation steps actually run, BLA steps taken and rebases made. */
  perturbationSteps: number;
  blaSteps: number;
  rebases: number;
  /** Of those steps (perturbation and BLA), the ones run two pixels at a time (wasm pairSteps). */
  pairedSteps: number;
  referenceLength: number;
  referenceEscaped: boolean;
}

export interface DeepResult {
  /** Escape count per pixel, row-major; maxIter for interior (as packages/kernel EscapeResult). */
  counts: Uint32Array;
  /** Smooth value per pixel; -1 exactly for interior pixels. */
  smooth: Float32Array;
  stats: DeepStats;
}

function engineOf(opts: DeepOptions): "wasm" | "js" {
  if (opts.engine === "js") return "js";
  if (opts.engine === "wasm" && !deepWasmAvailable()) throw new Error("WebAssembly is not available");
  return deepWasmAvailable() ? "wasm" : "js";
}

function checkReference(ref: ReferenceOrbit, anchor: Anchor, maxIter: number): void {
  if (anchorId(ref.anchor) !== anchorId(anchor) || ref.maxIter !== maxIter) {
    throw new Error(
      `reference orbit is for anchor ${anchorId(ref.anchor)} budget ${ref.maxIter}, not ${anchorId(anchor)} budget ${maxIter}`,
    );
  }
}

function emptyStats(
  engine: "wasm" | "js",
  ref: Pick<ReferenceOrbit, "escaped"> & { re: ArrayLike<number> },
  referenceMs: number,
): DeepStats {
  return {
    engine,
    referenceMs,
    blaMs: 0,
    pixelsMs: 0,
    smoothMs: 0,
    proofMs: 0,
    pixelsProven: 0,
    proofBigintSteps: 0,
    totalMs: 0,
    pixels: 0,
    iterationsCounted: 0,
    estimatedLoopSteps: 0,
    perturbationSteps: 0,
    blaSteps: 0,
    rebases: 0,
    pairedSteps: 0,
    referenceLength: ref.re.length,
    referenceEscaped: ref.escaped,
  };
}

/** Counts of one pixel grid against one reference, accumulating the stats. */
function countGrid(
  ref: ReferenceOrbit,
  grid: PixelGrid,
  maxIter: number,
  opts: DeepOptions,
  stats: DeepStats,
): PixelCounts {
  const bla = usesBla(ref, opts);
  let result: PixelCounts;
  if (stats.engine === "wasm") {
    const started = performance.now();
    const counted = perturbGridWasm(ref, grid, maxIter, { ...opts, bla });
    stats.blaMs += counted.tableMs;
    stats.pixelsMs += performance.now() - started - counted.tableMs;
    result = counted;
  } else {
    const started = performance.now();
    result = perturbGrid(ref, grid, maxIter, opts);
    stats.pixelsMs += performance.now() - started;
  }
  addLoopWork(stats, result);
  return result;
}

/** Whether the loop skips iterations with BLA under this reference: the one rule (DeepOptions.bla). */
function usesBla(ref: ReferenceOrbit, opts: DeepOptions): boolean {
  return opts.bla === "always" || (opts.bla !== false && ref.blaPays);
}

/** The loop's own work on one grid (steps, BLA steps, rebases, paired steps) into the tile's stats. */
function addLoopWork(stats: DeepStats, counted: PixelCounts): void {
  stats.perturbationSteps += counted.steps;
  stats.blaSteps += counted.blaSteps;
  stats.rebases += counted.rebases;
  stats.pairedSteps += counted.pairedSteps;
}

/** The rectangle `rect` of `grid` as a grid of its own (same pixel offsets, so the same counts). */
function subGrid(grid: PixelGrid, rect: Rect): PixelGrid {
  return {
    width: rect.width,
    height: rect.height,
    c0re: grid.c0re + rect.x0 * grid.step,
    c0im: grid.c0im - rect.y0 * grid.step,
    step: grid.step,
    exponent: grid.exponent,
  };
}

/** Which rectangles of a grid are proven interior, and which the loop must count. */
interface GridPlan {
  proven: Rect[];
  open: Rect[];
  /** The loop steps the open rectangles are expected to cost (estimateOpenSteps). */
  estimatedSteps: number;
}

/**
 * Headroom on the probes' sample: on the period-3 boundary tile at z36 the loop ran 8 % more steps
 * than pixels × budget (a BLA jump that would overshoot an escape is redone step by step), which
 * no probe showed; over 14 tiles the unscaled estimate was 0.92–1.38 of the steps run (README
 * "Slow tiles: rendered off the request path").
 */
export const ESTIMATE_MARGIN = 1.25;

/**
 * What counting the open rectangles will cost, in loop steps (perturbation and BLA steps, as
 * DeepStats counts them), from the plan alone: each open rectangle's area times the larger of its
 * probe's and its parent's probe's steps (the loop's own step counts on two of its pixels), times
 * ESTIMATE_MARGIN. Deterministic: counts, not times. An estimate, not a bound: a rectangle whose
 * samples escape early while the rest runs long is underestimated. The quadtree splits exterior
 * rectangles down to about 32 × 32 pixels, so a tile has at least 64 samples, and on the tiles
 * that matter (every pixel near its budget: no proof applies, BLA skips little) they agree.
 */
function estimateOpenSteps(open: Rect[], probeSteps: number[]): number {
  let steps = 0;
  open.forEach((rect, i) => {
    steps += rect.width * rect.height * probeSteps[i];
  });
  return Math.ceil(steps * ESTIMATE_MARGIN);
}

/**
 * Interior proofs (interior-proof.ts), probes included: proven rectangles get the budget without
 * iteration; the rest is open. Same counts as iterating everything wherever the loop itself finds a
 * proven pixel interior, which it does unless it glitches (README "Interior proofs and the bound on
 * work"). With nothing proven the whole grid is one open rectangle. Without proofs there are no
 * probes either, and the estimate is the bound: every pixel to its budget.
 */
function planGrid(
  ref: ReferenceOrbit,
  grid: PixelGrid,
  maxIter: number,
  opts: DeepOptions,
  stats: DeepStats,
): GridPlan {
  const open = [{ x0: 0, y0: 0, width: grid.width, height: grid.height }];
  if (opts.interiorProofs === false) {
    return { proven: [], open, estimatedSteps: Math.ceil(grid.width * grid.height * maxIter * ESTIMATE_MARGIN) };
  }
  const started = performance.now();
  let probeMs = 0; // probes are loop time (in pixelsMs), not proof time
  const probe = (px: number, py: number) => {
    const probeStarted = performance.now();
    const rect = { x0: px, y0: py, width: 1, height: 1 };
    const result = countGrid(ref, subGrid(grid, rect), maxIter, opts, stats);
    probeMs += performance.now() - probeStarted;
    return { interior: result.counts[0] >= maxIter, steps: result.steps + result.blaSteps };
  };
  const origin = referencePoint(ref.anchor, ref.offsetRe, ref.offsetIm);
  const proofs = proveInteriorRects(origin, grid, maxIter, probe, () => referenceCycle(ref));
  stats.proofMs += performance.now() - started - probeMs;
  stats.pixelsProven += proofs.stats.pixelsProven;
  stats.proofBigintSteps += proofs.stats.bigintSteps;
  const estimatedSteps = estimateOpenSteps(proofs.open, proofs.openProbeSteps);
  if (proofs.proven.length === 0) return { proven: [], open, estimatedSteps };
  return { proven: proofs.proven, open: proofs.open, estimatedSteps };
}

/**
 * Thrown before counting when a plan's estimate exceeds DeepOptions.maxLoopSteps: the caller
 * renders the tile elsewhere. Never thrown without that option, so it cannot change any bytes.
 * `newReference`: the encoded orbit the refused render computed on the way (set by
 * packages/render, which computes and encodes orbits for callers that store them), so the caller
 * can still store it and whoever renders the tile later does not compute it again.
 */
export class LoopTooCostlyError extends Error {
  constructor(
    readonly estimatedSteps: number,
    readonly maxLoopSteps: number,
    readonly newReference?: Uint8Array,
  ) {
    super(`the tile's loop is estimated at ${estimatedSteps} steps, over the limit of ${maxLoopSteps}`);
    this.name = "LoopTooCostlyError";
  }
}

/** The plan, after refusing it when its estimate is over the caller's limit. */
function admittedPlan(ref: ReferenceOrbit, grid: PixelGrid, maxIter: number, opts: DeepOptions, stats: DeepStats) {
  const plan = planGrid(ref, grid, maxIter, opts, stats);
  stats.estimatedLoopSteps += plan.estimatedSteps;
  if (opts.maxLoopSteps !== undefined && plan.estimatedSteps > opts.maxLoopSteps) {
    throw new LoopTooCostlyError(plan.estimatedSteps, opts.maxLoopSteps);
  }
  return plan;
}

/** The grid's counts from its plan: budget on proven rectangles, `parts[i]` counted for `open[i]`. */
function assembleCounts(grid: PixelGrid, maxIter: number, open: Rect[], proven: Rect[], parts: PixelCounts[]) {
  if (proven.length === 0 && open.length === 1 && open[0].width === grid.width && open[0].height === grid.height) {
    return parts[0];
  }
  const pixels = grid.width * grid.height;
  const out: PixelCounts = {
    counts: new Uint32Array(pixels),
    escapeRe: new Float64Array(pixels),
    escapeIm: new Float64Array(pixels),
    steps: 0,
    blaSteps: 0,
    rebases: 0,
    pairedSteps: 0,
  };
  for (const rect of proven) {
    for (let y = rect.y0; y < rect.y0 + rect.height; y++) {
      out.counts.fill(maxIter, y * grid.width + rect.x0, y * grid.width + rect.x0 + rect.width);
    }
  }
  open.forEach((rect, i) => {
    const part = parts[i];
    for (let y = 0; y < rect.height; y++) {
      const from = y * rect.width;
      const to = (rect.y0 + y) * grid.width + rect.x0;
      out.counts.set(part.counts.subarray(from, from + rect.width), to);
      out.escapeRe.set(part.escapeRe.subarray(from, from + rect.width), to);
      out.escapeIm.set(part.escapeIm.subarray(from, from + rect.width), to);
    }
  });
  return out;
}

/** Counts of a grid: its plan, then the loop over the open rectangles, in this thread. */
function countGridProving(
  ref: ReferenceOrbit,
  grid: PixelGrid,
  maxIter: number,
  opts: DeepOptions,
  stats: DeepStats,
): PixelCounts {
  const { proven, open } = admittedPlan(ref, grid, maxIter, opts, stats);
  const parts = open.map((rect) => countGrid(ref, subGrid(grid, rect), maxIter, opts, stats));
  return assembleCounts(grid, maxIter, open, proven, parts);
}

/** Writes smooth values of a grid's pixels into `smooth` at (x0 + px, y0 + py) of a `width`-wide image. */
function smoothInto(
  ref: ReferenceOrbit,
  grid: PixelGrid,
  counts: PixelCounts,
  maxIter: number,
  out: { counts: Uint32Array; smooth: Float32Array; width: number; x0: number; y0: number },
  stats: DeepStats,
): void {
  const started = performance.now();
  const point = referencePoint(ref.anchor, ref.offsetRe, ref.offsetIm);
  const cRe = fixedToFloat64(point.re, point.fracBits);
  const cIm = fixedToFloat64(point.im, point.fracBits);
  for (let py = 0; py < grid.height; py++) {
    for (let px = 0; px < grid.width; px++) {
      const i = py * grid.width + px;
      const n = counts.counts[i];
      const o = (out.y0 + py) * out.width + out.x0 + px;
      out.counts[o] = n;
      stats.iterationsCounted += n;
      if (n >= maxIter) {
        out.smooth[o] = -1;
        continue;
      }
      const [cr, ci, ce] = canonicalOffset(grid.c0re + px * grid.step, grid.c0im - py * grid.step, grid.exponent);
      const x = cRe + ldexp(cr, ce);
      const y = cIm + ldexp(ci, ce);
      out.smooth[o] = smoothEscapeValue(n, maxIter, counts.escapeRe[i], counts.escapeIm[i], x, y);
    }
  }
  stats.smoothMs += performance.now() - started;
  stats.pixels += grid.width * grid.height;
}

/** A tile every pixel of which is provably interior: counts = budget, smooth −1, no iteration. */
function interiorTile(
  input: DeepTileInput,
  ref: ReferenceOrbit | undefined,
  opts: DeepOptions,
  started: number,
): DeepResult {
  const pixels = (256 * input.scale) ** 2;
  const stats: DeepStats = {
    ...emptyStats(engineOf(opts), ref ?? { re: [], escaped: false }, 0),
    pixels,
    iterationsCounted: pixels * input.maxIter,
  };
  stats.totalMs = performance.now() - started;
  return { counts: new Uint32Array(pixels).fill(input.maxIter), smooth: new Float32Array(pixels).fill(-1), stats };
}

/** A tile set up for counting: its reference, its pixel grid relative to it, its stats so far. */
interface TileInProgress {
  ref: ReferenceOrbit;
  grid: PixelGrid;
  stats: DeepStats;
  started: number;
}

/** Validation, the interior shortcut (a finished tile), or the reference and the grid to count. */
function beginDeepTile(input: DeepTileInput, ref: ReferenceOrbit | undefined, opts: DeepOptions) {
  const started = performance.now();
  assertDeepTile(input);
  const anchor = anchorOf(input);
  if (ref) checkReference(ref, anchor, input.maxIter);
  if (opts.interiorShortcut !== false && tileProvablyInterior(input)) {
    return { done: interiorTile(input, ref, opts, started) };
  }
  let referenceMs = 0;
  if (!ref) {
    ref = computeReference(anchor, input.maxIter);
    referenceMs = ref.ms;
  }
  const stats = emptyStats(engineOf(opts), ref, referenceMs);
  const grid = tilePixelGrid(input, anchor);
  grid.c0re -= ref.offsetRe; // offsets from the reference point (same unit: the anchor's tiles)
  grid.c0im -= ref.offsetIm;
  return { tile: { ref, grid, stats, started } satisfies TileInProgress };
}

function finishDeepTile({ ref, grid, stats, started }: TileInProgress, counts: PixelCounts, maxIter: number) {
  const out = {
    counts: new Uint32Array(grid.width * grid.height),
    smooth: new Float32Array(grid.width * grid.height),
    width: grid.width,
    x0: 0,
    y0: 0,
  };
  smoothInto(ref, grid, counts, maxIter, out, stats);
  stats.totalMs = performance.now() - started;
  return { counts: out.counts, smooth: out.smooth, stats };
}

export function renderDeepTile(input: DeepTileInput, ref?: ReferenceOrbit, opts: DeepOptions = {}): DeepResult {
  const begun = beginDeepTile(input, ref, opts);
  if (begun.done) return begun.done;
  const { tile } = begun;
  return finishDeepTile(tile, countGridProving(tile.ref, tile.grid, input.maxIter, opts, tile.stats), input.maxIter);
}

/** What the loop needs besides the grid: the engine's switches, as plain data a worker can take. */
export interface LoopOptions {
  bla: boolean;
  rebase: boolean;
  extendedRange: boolean;
  pairs: boolean;
}

/**
 * Counts of pixel grids against one reference, elsewhere (worker threads): each pixel's count
 * depends only on its own offset and the reference, so any split gives the counts the loop gives.
 */
export type GridCounter = (
  ref: ReferenceOrbit,
  grids: PixelGrid[],
  maxIter: number,
  opts: LoopOptions,
) => Promise<PixelCounts[]>;

/** The in-thread GridCounter's core: the loop over each grid, as renderDeepTile runs it. */
export function countGrids(ref: ReferenceOrbit, grids: PixelGrid[], maxIter: number, opts: LoopOptions): PixelCounts[] {
  return grids.map((grid) => {
    const { tableMs: _, ...counts } = perturbGridWasm(ref, grid, maxIter, opts);
    return counts;
  });
}

/** Rows per piece handed to a GridCounter: small, so that slow rows spread over the threads. */
export const BAND_ROWS = 8;

/**
 * renderDeepTile with the loop's work handed to `counter` in bands of BAND_ROWS rows (probes and
 * proofs stay here): the same counts and smooth values, so the same bytes.
 */
export async function renderDeepTileWith(
  counter: GridCounter,
  input: DeepTileInput,
  ref?: ReferenceOrbit,
  opts: DeepOptions = {},
): Promise<DeepResult> {
  const begun = beginDeepTile(input, ref, opts);
  if (begun.done) return begun.done;
  const { tile } = begun;
  const { grid, stats } = tile;
  if (stats.engine !== "wasm") {
    // No wasm to hand out: count here, on the tile already begun.
    return finishDeepTile(tile, countGridProving(tile.ref, grid, input.maxIter, opts, stats), input.maxIter);
  }
  const { proven, open } = admittedPlan(tile.ref, grid, input.maxIter, opts, stats);
  const bands = open.flatMap((rect) => {
    const pieces: Rect[] = [];
    for (let y = 0; y < rect.height; y += BAND_ROWS) {
      pieces.push({ x0: rect.x0, y0: rect.y0 + y, width: rect.width, height: Math.min(BAND_ROWS, rect.height - y) });
    }
    return pieces;
  });
  const loop = {
    bla: usesBla(tile.ref, opts),
    rebase: opts.rebase !== false,
    extendedRange: opts.extendedRange !== false,
    pairs: opts.pairs !== false,
  };
  const countingStarted = performance.now();
  const parts = await counter(
    tile.ref,
    bands.map((band) => subGrid(grid, band)),
    input.maxIter,
    loop,
  );
  stats.pixelsMs += performance.now() - countingStarted;
  for (const part of parts) addLoopWork(stats, part);
  return finishDeepTile(tile, assembleCounts(grid, input.maxIter, bands, proven, parts), input.maxIter);
}

/** A view for /render: centre as decimal strings of any length, zoom in tile units (fractional allowed). */
export interface DeepViewInput {
  re: string;
  im: string;
  zoom: number;
  width: number;
  height: number;
  maxIter: number;
}

/**
 * Extra bits of a view's pixel grid below the tile grid's unit at floor(zoom): fractional zooms
 * round their pixel size and centre to 2^-(zt + 9 + VIEW_GUARD_BITS).
 */
const VIEW_GUARD_BITS = 20;
export const MAX_VIEW_SIDE = 4096;

/**
 * The anchor of each view pixel is the anchor of the tile at zoom floor(zoom) that contains it, so a
 * view aligned with the tile grid (integer zoom, centre on pixel edges) gives exactly the tiles'
 * counts and smooth values. The view may span several anchors: each rectangle of pixels sharing an
 * anchor is rendered against that anchor's reference (`referenceFor` may serve them from a cache).
 */
export function renderDeepView(
  input: DeepViewInput,
  referenceFor: (anchor: Anchor, maxIter: number) => ReferenceOrbit = computeReference,
  opts: DeepOptions = {},
): DeepResult {
  const started = performance.now();
  const { zoom, width, height, maxIter } = input;
  if (!Number.isFinite(zoom) || zoom < ANCHOR_LEVELS || zoom > DEEP_MAX_ZOOM) {
    throw new RangeError(`zoom must be from ${ANCHOR_LEVELS} to ${DEEP_MAX_ZOOM}`);
  }
  for (const [name, v] of [
    ["width", width],
    ["height", height],
  ] as const) {
    if (!Number.isInteger(v) || v < 1 || v > MAX_VIEW_SIDE)
      throw new RangeError(`${name} must be an integer from 1 to ${MAX_VIEW_SIDE}`);
  }
  assertMaxIter(maxIter);
  const zt = Math.floor(zoom);
  const unitBits = zt + 9 + VIEW_GUARD_BITS; // unit 2^-unitBits
  // Half the pixel size in units: the 1x tile pixel at zt is 2^(G+3) units.
  const halfPixel = Math.max(1, Math.round(2 ** (VIEW_GUARD_BITS + 2 + (zt - zoom))));
  const centreRe = parseDecimal(input.re, unitBits);
  const centreIm = parseDecimal(input.im, unitBits);
  const unitOne = 1n << BigInt(unitBits);
  const worldLeft = -(5n * unitOne) / 2n;
  const worldTop = 2n * unitOne;
  const tileShift = BigInt(VIEW_GUARD_BITS + 11); // a zt tile is 2^(G+11) units wide
  const tiles = 1n << BigInt(zt);
  const clampTile = (t: bigint) => (t < 0n ? 0n : t >= tiles ? tiles - 1n : t);
  const hp = BigInt(halfPixel);
  const colRe = (i: number) => centreRe + BigInt(2 * i - width + 1) * hp;
  const rowIm = (j: number) => centreIm - BigInt(2 * j - height + 1) * hp;
  const colTile = Array.from({ length: width }, (_, i) => clampTile((colRe(i) - worldLeft) >> tileShift));
  const rowTile = Array.from({ length: height }, (_, j) => clampTile((worldTop - rowIm(j)) >> tileShift));
  const runs = (tilesOf: bigint[]) => {
    const out: { start: number; end: number; anchorCoord: bigint }[] = [];
    const k = BigInt(Math.min(ANCHOR_LEVELS, zt));
    tilesOf.forEach((t, i) => {
      const a = t >> k;
      const lastRun = out[out.length - 1];
      if (lastRun && lastRun.anchorCoord === a) lastRun.end = i + 1;
      else out.push({ start: i, end: i + 1, anchorCoord: a });
    });
    return out;
  };
  const counts = new Uint32Array(width * height);
  const smooth = new Float32Array(width * height);
  let stats: DeepStats | undefined;
  const engine = engineOf(opts);
  for (const rows of runs(rowTile)) {
    for (const cols of runs(colTile)) {
      const anchor = anchorOf({ z: zt, x: colTile[cols.start], y: rowTile[rows.start] });
      const refStarted = performance.now();
      const ref = referenceFor(anchor, maxIter);
      checkReference(ref, anchor, maxIter);
      const refMs = ref.ms > 0 ? performance.now() - refStarted : 0;
      if (!stats) stats = emptyStats(engine, ref, 0);
      stats.referenceMs += refMs;
      // Offsets from the reference point in units 2^-unitBits.
      const point = referencePoint(anchor, ref.offsetRe, ref.offsetIm);
      const lift = BigInt(unitBits - point.fracBits);
      const c0re = colRe(cols.start) - (point.re << lift);
      const c0im = rowIm(rows.start) - (point.im << lift);
      const grid: PixelGrid = {
        width: cols.end - cols.start,
        height: rows.end - rows.start,
        c0re: Number(c0re),
        c0im: Number(c0im),
        step: 2 * halfPixel,
        exponent: -unitBits,
      };
      const result = countGridProving(ref, grid, maxIter, opts, stats);
      smoothInto(ref, grid, result, maxIter, { counts, smooth, width, x0: cols.start, y0: rows.start }, stats);
    }
  }
  stats!.totalMs = performance.now() - started;
  return { counts, smooth, stats: stats! };
}
