/**
 * Finds the public deep test locations and writes packages/deep/locations.ts.
 *
 *   npx tsx scripts/find-deep-locations.ts [out=packages/deep/locations.ts]
 *
 * Minibrots: the ball-period method gives the period of the lowest-period nucleus near a start
 * disc; Newton's method on Z_p(c) = 0 in BigInt fixed point finds the nucleus; the size estimate
 * 1/|b·l²| sets the zoom (the tile is 4 to 8 times the minibrot's size). Misiurewicz points:
 * Newton on Z_{k+p}(c) = Z_k(c) from a rough start, then the exact (k, p) by inspection. Starting
 * discs near a Misiurewicz point at distance 2^-(zoom/2) give minibrots at about that zoom (their
 * size goes as the square of the distance). Deterministic: the same command writes the same file.
 */
import { writeFileSync } from "node:fs";
import { fixedToFloat64, formatFixed, parseDecimal } from "../packages/deep/fixed";
import {
  type Complex,
  ballPeriod,
  exactPeriod,
  exactPreperiod,
  log2MinibrotSize,
  misiurewicz,
  nucleus,
} from "./deep/nucleus";

const out = process.argv[2] ?? "packages/deep/locations.ts";
const GUARD_BITS = 64;

interface Found {
  name: string;
  kind: "minibrot" | "misiurewicz";
  re: string;
  im: string;
  zoom: number;
  period: number;
  preperiod?: number;
  log2Size?: number;
  how: string;
}

/** Decimal digits that pin a point far below a pixel of its zoom (pixel 2^-(z+7) at @2x). */
function digitsFor(zoom: number): number {
  return Math.ceil((zoom + 7 + 24) * Math.log10(2) + 2);
}

function fixedPoint(re: string, im: string, bits: number): Complex {
  return { re: parseDecimal(re, bits), im: parseDecimal(im, bits) };
}

function text(c: Complex, bits: number, zoom: number): { re: string; im: string } {
  const d = digitsFor(zoom);
  return { re: formatFixed(c.re, bits, d), im: formatFixed(c.im, bits, d) };
}

/** A minibrot near `start` offset by 2^-offsetLog2 · direction, for a tile at about `targetZoom`. */
function minibrot(
  name: string,
  start: Complex,
  startName: string,
  direction: [number, number],
  offsetLog2: number,
  targetZoom: number,
): Found {
  const bits = 2 * targetZoom + GUARD_BITS;
  const shift = BigInt(bits - 60);
  const toBits = (v: bigint, from: number) => (bits >= from ? v << BigInt(bits - from) : v >> BigInt(from - bits));
  const s = { re: toBits(start.re, START_BITS), im: toBits(start.im, START_BITS) };
  // start + 2^-offsetLog2 · direction, the direction given to 2^-60.
  const dx = (((BigInt(Math.round(direction[0] * 2 ** 60)) << shift) >> BigInt(offsetLog2 + 60)) << 60n) >> 60n;
  const dy = (((BigInt(Math.round(direction[1] * 2 ** 60)) << shift) >> BigInt(offsetLog2 + 60)) << 60n) >> 60n;
  const centre = { re: s.re + dx, im: s.im + dy };
  const log2Radius = -offsetLog2 - 2;
  const period = ballPeriod(centre, log2Radius, bits, 200_000);
  if (period === 0) throw new Error(`${name}: no period found`);
  const c = nucleus(centre, period, bits);
  const exact = exactPeriod(c, period, bits);
  const log2Size = log2MinibrotSize(c, exact, bits);
  const zoom = Math.floor(-log2Size);
  const how =
    `ball period from ${startName} + 2^-${offsetLog2}·(${direction.join(", ")}) with radius 2^${log2Radius}, ` +
    `Newton on Z_${exact}(c) = 0 at ${bits} bits; size estimate 2^${log2Size.toFixed(2)}`;
  return {
    name,
    kind: "minibrot",
    ...text(c, bits, zoom),
    zoom,
    period: exact,
    log2Size: Number(log2Size.toFixed(2)),
    how,
  };
}

function misiurewiczAt(name: string, point: Complex, bits: number, zoom: number, how: string): Found {
  const { preperiod, period } = exactPreperiod(point, bits, 60, 10);
  return { name, kind: "misiurewicz", ...text(point, bits, zoom), zoom, preperiod, period, how };
}

// The Misiurewicz points the deep minibrots are found beside, to START_BITS (enough for z2000).
const START_BITS = 4200;
const I = fixedPoint("0", "1", START_BITS);
const I_HOW = "exact: C = i, critical orbit 0 → i → −1+i → −i → −1+i (preperiod 2, period 2 counted from z0 = 0)";
const SEAHORSE_M = misiurewicz(fixedPoint("-0.77568377", "0.13646737", START_BITS), 24, 1, START_BITS);
const SEAHORSE_M_HOW =
  "Newton on Z_25(c) = Z_24(c) from -0.77568377 + 0.13646737i (the second path of packages/tile/grid.ts)";

const found: Found[] = [];
{
  // The period-998 minibrot near the classic seahorse-valley point, at z≈50 (deep-zoom notes).
  const bits = 200;
  const start = fixedPoint("-0.743643887037158704752191506114774", "0.131825904205311970493132056385139", bits);
  const period = ballPeriod(start, -50, bits, 100_000);
  const c = nucleus(start, period, bits);
  const exact = exactPeriod(c, period, bits);
  const log2Size = log2MinibrotSize(c, exact, bits);
  const zoom = Math.floor(-log2Size);
  found.push({
    name: "seahorse p998 minibrot",
    kind: "minibrot",
    ...text(c, bits, zoom),
    zoom,
    period: exact,
    log2Size: Number(log2Size.toFixed(2)),
    how:
      "ball period from -0.743643887037158704752191506114774 + 0.131825904205311970493132056385139i " +
      `with radius 2^-50, Newton on Z_${exact}(c) = 0 at ${bits} bits`,
  });
}
found.push(misiurewiczAt("C = i at z50", I, START_BITS, 50, I_HOW));
found.push(misiurewicz24(200));
found.push(minibrot("minibrot beside M24,1 at z200", SEAHORSE_M, "M24,1", [0.6, 0.8], 101, 200));
found.push(minibrot("minibrot beside C = i at z600", I, "C = i", [-0.6, -0.8], 301, 600));
found.push(misiurewiczAt("C = i at z600", I, START_BITS, 600, I_HOW));
found.push(minibrot("minibrot beside C = i at z1000", I, "C = i", [0.8, 0.6], 501, 1000));
found.push(misiurewicz24(1000));
found.push(minibrot("minibrot beside C = i at z2000", I, "C = i", [0.6, -0.8], 1001, 2000));
found.push(misiurewiczAt("C = i at z2000", I, START_BITS, 2000, I_HOW));

function misiurewicz24(zoom: number): Found {
  return misiurewiczAt(`M24,1 at z${zoom}`, SEAHORSE_M, START_BITS, zoom, `${SEAHORSE_M_HOW} at ${START_BITS} bits`);
}

/** The tile containing (re, im) at zoom z: x = floor((re + 2.5)·2^z / 4), y = floor((2 − im)·2^z / 4). */
function tileOf(re: string, im: string, z: number): { x: bigint; y: bigint } {
  const bits = z + 8;
  const b = BigInt(bits);
  const x = (parseDecimal(re, bits) + (5n << (b - 1n))) >> (b - BigInt(z) + 2n);
  const y = ((2n << b) - parseDecimal(im, bits)) >> (b - BigInt(z) + 2n);
  return { x, y };
}

const lines: string[] = [];
for (const f of found) {
  const { x, y } = tileOf(f.re, f.im, f.zoom);
  console.error(
    `${f.name}: z${f.zoom} period ${f.period}${f.preperiod ? ` preperiod ${f.preperiod}` : ""} ` +
      `re ${fixedToFloat64(parseDecimal(f.re, 64), 64)} im ${fixedToFloat64(parseDecimal(f.im, 64), 64)}`,
  );
  lines.push(
    [
      "  {",
      `    name: ${JSON.stringify(f.name)},`,
      `    kind: "${f.kind}",`,
      `    re: "${f.re}",`,
      `    im: "${f.im}",`,
      `    zoom: ${f.zoom},`,
      `    tile: { z: ${f.zoom}, x: ${x}n, y: ${y}n },`,
      `    period: ${f.period},`,
      ...(f.preperiod === undefined ? [] : [`    preperiod: ${f.preperiod},`]),
      ...(f.log2Size === undefined ? [] : [`    log2Size: ${f.log2Size},`]),
      `    how: ${JSON.stringify(f.how)},`,
      "  },",
    ].join("\n"),
  );
}

const file = `/**
 * Public deep test locations: minibrots and Misiurewicz points at about z50, z200, z600, z1000 and
 * z2000, for tests and \`npm run bench:deep\`.
 *
 * GENERATED by \`npx tsx scripts/find-deep-locations.ts\` (ball-period method, Newton in BigInt
 * fixed point; see that script and packages/deep/README.md, "Test locations"). Do not edit by hand.
 *
 * re, im: decimal to about 2^-(zoom + 31), far below a pixel at that zoom. tile: the tile of the
 * fractile grid containing the point (zoom 0 = re ∈ [-2.5, 1.5] × im ∈ [-2, 2], side 4/2^z, x right,
 * y down). Minibrots: period of the nucleus (exact), log2 of the size estimate 1/|b·l²|, zoom =
 * floor(−log2Size) so the tile is 4 to 8 times the minibrot. Misiurewicz points: preperiod and
 * period of the critical orbit, counted from z0 = 0 (Z_{k+p} = Z_k); C = i sits on a tile corner
 * at every zoom (dyadic), so its tile shows the quarter to its lower right.
 */
export interface DeepLocation {
  readonly name: string;
  readonly kind: "minibrot" | "misiurewicz";
  readonly re: string;
  readonly im: string;
  readonly zoom: number;
  readonly tile: { readonly z: number; readonly x: bigint; readonly y: bigint };
  /** Minibrot: period of the nucleus. Misiurewicz point: period of the cycle its orbit lands on. */
  readonly period: number;
  readonly preperiod?: number;
  readonly log2Size?: number;
  /** Where it came from (the script's method and start). */
  readonly how: string;
}

export const DEEP_LOCATIONS: readonly DeepLocation[] = [
${lines.join("\n")}
];
`;
writeFileSync(out, file);
console.error(`wrote ${out}`);
