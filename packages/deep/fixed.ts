/**
 * BigInt fixed-point arithmetic for deep zoom: the reference orbit and point inspection both use it.
 *
 * A fixed-point value with `bits` fraction bits is a plain `bigint` m standing for m / 2^bits. The
 * hot loops (reference orbit) work on raw bigints with one shared `bits`, so nothing is wrapped.
 *
 * Rules, chosen to be exact or deterministic on every machine:
 * - add/sub: exact (plain bigint + and −).
 * - mul/sqr: the exact product shifted right by `bits`, i.e. rounded toward −∞ (floor). BigInt's >>
 *   is an arithmetic shift, so this is floor for negative products too; the error is in [0, 2^-bits).
 * - parse: decimal → nearest fixed-point value, ties to even (exact when the decimal is dyadic).
 * - float64: correctly rounded (nearest, ties to even), subnormals and overflow as IEEE 754 does.
 *
 * Cost per reference iteration at 256 … 4096 bits: packages/deep/README.md, "Fixed point".
 */

/** A number m · 2^exp: exact for tile corners, pixel centres and any fixed-point value. */
export interface Dyadic {
  readonly mantissa: bigint;
  readonly exponent: number;
}

/** A float with a separate integer exponent: value = mantissa · 2^exponent, |mantissa| in [1, 2) or 0. */
export interface FloatExp {
  readonly mantissa: number;
  readonly exponent: number;
}

/**
 * The longest decimal string `parseDecimal` accepts, so that no input costs unbounded work. At
 * z2000 a pixel is 2^-2008 ≈ 10^-604.5 wide: 610 significant digits place it; 4096 leaves room
 * for much deeper zooms and for pasted coordinates with excess digits.
 */
export const MAX_DECIMAL_LENGTH = 4096;

/** Bad decimal input; callers turn it into a ValidationError naming their field. */
export class DecimalSyntaxError extends Error {
  constructor(
    readonly input: string,
    readonly reason: string,
  ) {
    super(reason);
    this.name = "DecimalSyntaxError";
  }
}

// Sign, integer digits, optional fraction, optional exponent. No spaces, no "Infinity", no hex.
const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d{1,6}))?$/;

/** Parses a decimal into an exact rational num / den (den a power of ten, positive). */
export function parseDecimalRational(text: string): { num: bigint; den: bigint } {
  if (typeof text !== "string") throw new DecimalSyntaxError(String(text), "must be a decimal string");
  if (text.length === 0) throw new DecimalSyntaxError(text, "must not be empty");
  if (text.length > MAX_DECIMAL_LENGTH) {
    throw new DecimalSyntaxError(text.slice(0, 32), `must be at most ${MAX_DECIMAL_LENGTH} characters long`);
  }
  const match = DECIMAL.exec(text);
  if (!match) {
    throw new DecimalSyntaxError(text, "must be a decimal number like -0.75, 1.25e-3 or .5 (digits, one point)");
  }
  const [, sign, whole = "", fraction = "", exponentText] = match;
  if (whole.length + fraction.length === 0) throw new DecimalSyntaxError(text, "must contain at least one digit");
  const exponent = exponentText === undefined ? 0 : Number(exponentText);
  // Bounded like the length: a value of 10^±MAX costs as much as that many digits would.
  if (Math.abs(exponent) > MAX_DECIMAL_LENGTH) {
    throw new DecimalSyntaxError(text, `exponent must be within ±${MAX_DECIMAL_LENGTH}`);
  }
  let num = BigInt(whole + fraction);
  if (sign === "-") num = -num;
  const scale = exponent - fraction.length; // value = num · 10^scale
  if (scale >= 0) return { num: num * 10n ** BigInt(scale), den: 1n };
  return { num, den: 10n ** BigInt(-scale) };
}

/** Integer division num / den (den > 0) rounded to nearest, ties to even. */
export function divRoundHalfEven(num: bigint, den: bigint): bigint {
  let q = num / den;
  let r = num % den;
  if (r < 0n) {
    q -= 1n;
    r += den; // now floor division, 0 ≤ r < den
  }
  const twice = 2n * r;
  if (twice > den || (twice === den && (q & 1n) === 1n)) q += 1n;
  return q;
}

/** A decimal string (any length up to MAX_DECIMAL_LENGTH) → nearest fixed-point value with `bits` fraction bits. */
export function parseDecimal(text: string, bits: number): bigint {
  checkBits(bits);
  const { num, den } = parseDecimalRational(text);
  return divRoundHalfEven(num << BigInt(bits), den);
}

/** Parses a decimal that must be dyadic (a finite binary fraction): returns it exactly. */
export function parseDecimalDyadic(text: string): Dyadic {
  const { num, den } = parseDecimalRational(text);
  // den = 10^k = 2^k · 5^k: dyadic iff 5^k divides num.
  let k = 0;
  for (let d = den; d > 1n; d /= 10n) k++;
  const five = 5n ** BigInt(k);
  if (num % five !== 0n) throw new DecimalSyntaxError(text, "is not a binary fraction (m · 2^e)");
  return normalizeDyadic({ mantissa: num / five, exponent: -k });
}

/**
 * m / 2^bits → exact decimal (always finite). With `fractionDigits`, rounded to that many digits
 * after the point (ties to even); trailing zeros are dropped either way.
 */
export function formatFixed(m: bigint, bits: number, fractionDigits?: number): string {
  checkBits(bits);
  return formatDyadic({ mantissa: m, exponent: -bits }, fractionDigits);
}

export function formatDyadic(value: Dyadic, fractionDigits?: number): string {
  const { mantissa, exponent } = value;
  // value = mantissa · 2^exponent = (mantissa · 5^k) / 10^k with k = −exponent when exponent < 0.
  if (fractionDigits !== undefined && (!Number.isInteger(fractionDigits) || fractionDigits < 0)) {
    throw new RangeError("fractionDigits must be an integer ≥ 0");
  }
  let digits: bigint;
  let k: number;
  if (exponent >= 0) {
    digits = mantissa << BigInt(exponent);
    k = 0;
  } else {
    digits = mantissa * 5n ** BigInt(-exponent);
    k = -exponent;
  }
  if (fractionDigits !== undefined && fractionDigits < k) {
    digits = divRoundHalfEven(digits, 10n ** BigInt(k - fractionDigits));
    k = fractionDigits;
  }
  const negative = digits < 0n;
  let text = (negative ? -digits : digits).toString();
  if (k > 0) {
    text = text.padStart(k + 1, "0");
    const fraction = text.slice(-k).replace(/0+$/, "");
    const whole = text.slice(0, -k);
    text = fraction.length > 0 ? `${whole}.${fraction}` : whole;
  }
  return negative && text !== "0" ? `-${text}` : text;
}

/** a · b with `bits` fraction bits, rounded toward −∞. */
export function mulFixed(a: bigint, b: bigint, bits: number): bigint {
  return (a * b) >> BigInt(bits);
}

/** a² with `bits` fraction bits, rounded toward −∞. */
export function sqrFixed(a: bigint, bits: number): bigint {
  return (a * a) >> BigInt(bits);
}

/** The fixed-point value of the integer n. */
export function fixedFromInt(n: bigint | number, bits: number): bigint {
  return BigInt(n) << BigInt(bits);
}

/** m · 2^exp as a fixed-point value; throws if that needs more than `bits` fraction bits. */
export function fixedFromDyadic(value: Dyadic, bits: number): bigint {
  checkBits(bits);
  const shift = value.exponent + bits;
  if (shift >= 0) return value.mantissa << BigInt(shift);
  const m = value.mantissa >> BigInt(-shift);
  if (m << BigInt(-shift) !== value.mantissa) {
    throw new RangeError(`${formatDyadic(value)} needs more than ${bits} fraction bits`);
  }
  return m;
}

/** The fixed-point value as an exact dyadic, normalised (odd mantissa, or 0 · 2^0). */
export function dyadicFromFixed(m: bigint, bits: number): Dyadic {
  return normalizeDyadic({ mantissa: m, exponent: -bits });
}

/** Odd mantissa (or zero with exponent 0): one spelling per value, so values compare by fields. */
export function normalizeDyadic(value: Dyadic): Dyadic {
  let { mantissa, exponent } = value;
  if (mantissa === 0n) return { mantissa: 0n, exponent: 0 };
  const zeros = trailingZeros(mantissa);
  if (zeros > 0) {
    mantissa >>= BigInt(zeros);
    exponent += zeros;
  }
  return { mantissa, exponent };
}

/** The exact float64 value of a finite double, as a dyadic. */
export function dyadicFromFloat64(x: number): Dyadic {
  if (!Number.isFinite(x)) throw new RangeError("not a finite number");
  if (x === 0) return { mantissa: 0n, exponent: 0 };
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let mantissa = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exponent: number;
  if (biased === 0) {
    exponent = -1074;
  } else {
    mantissa |= 1n << 52n;
    exponent = biased - 1075;
  }
  if (x < 0) mantissa = -mantissa;
  return normalizeDyadic({ mantissa, exponent });
}

export function addDyadic(a: Dyadic, b: Dyadic): Dyadic {
  const e = Math.min(a.exponent, b.exponent);
  const sum = (a.mantissa << BigInt(a.exponent - e)) + (b.mantissa << BigInt(b.exponent - e));
  return normalizeDyadic({ mantissa: sum, exponent: e });
}

export function mulDyadic(a: Dyadic, b: Dyadic): Dyadic {
  return normalizeDyadic({ mantissa: a.mantissa * b.mantissa, exponent: a.exponent + b.exponent });
}

/** Number of bits of |n| (0 for 0). */
export function bitLength(n: bigint): number {
  const a = n < 0n ? -n : n;
  if (a === 0n) return 0;
  // toString(16) is linear in the size and exact; the leading hex digit gives the last few bits.
  const hex = a.toString(16);
  return (hex.length - 1) * 4 + (32 - Math.clz32(parseInt(hex[0], 16)));
}

function trailingZeros(n: bigint): number {
  const a = n < 0n ? -n : n;
  if (a === 0n) return 0;
  let count = 0;
  let rest = a;
  while ((rest & 0xffffffffn) === 0n) {
    rest >>= 32n;
    count += 32;
  }
  const low = Number(rest & 0xffffffffn);
  return count + 31 - Math.clz32(low & -low);
}

/** 2^k as a double, built from its bit pattern (exact; k in [−1074, 1023]). */
const pow2View = new DataView(new ArrayBuffer(8));
function pow2(k: number): number {
  pow2View.setFloat64(0, 0);
  if (k >= -1022) {
    pow2View.setUint32(0, (k + 1023) << 20);
  } else {
    const bit = k + 1074; // subnormal: one mantissa bit
    if (bit >= 32) pow2View.setUint32(0, 1 << (bit - 32));
    else pow2View.setUint32(4, 2 ** bit);
  }
  return pow2View.getFloat64(0);
}

const MIN_NORMAL = pow2(-1022);
const FAST_SCALE = 900;
const FAST_UNSCALE = pow2(-FAST_SCALE);

/** Round |m| right by `shift` bits to nearest, ties to even. */
function shiftRoundHalfEven(a: bigint, shift: number): bigint {
  if (shift <= 0) return a << BigInt(-shift);
  const s = BigInt(shift);
  const q = a >> s;
  const rest = a - (q << s);
  const half = 1n << (s - 1n);
  if (rest > half || (rest === half && (q & 1n) === 1n)) return q + 1n;
  return q;
}

/** m · 2^exp → the nearest double (ties to even), ±0 and ±Infinity as IEEE 754 rounding gives them. */
export function dyadicToFloat64(mantissa: bigint, exponent: number): number {
  if (mantissa === 0n) return 0;
  const negative = mantissa < 0n;
  const a = negative ? -mantissa : mantissa;
  // Fast path for wide mantissas (a reference orbit at thousands of bits): move the value to about
  // 2^FAST_SCALE with a sticky bit for whatever the shift drops, and let Number(bigint) round once
  // (the spec makes it round to nearest, ties to even). Measured 3–5× faster than bitLength below.
  const shift = -exponent - FAST_SCALE;
  if (shift > 0) {
    const s = BigInt(shift);
    let q = a >> s;
    if (q << s !== a) q |= 1n;
    const x = Number(q);
    // ≥ 2^60 leaves the sticky bit well below the rounding position; the result is then normal.
    if (x >= 2 ** 60 && x !== Infinity) return negative ? -x * FAST_UNSCALE : x * FAST_UNSCALE;
  } else if (exponent >= -1022 && exponent <= 1023) {
    // Narrow mantissa: one rounding in Number(bigint); scaling by 2^exponent is exact if the result is normal.
    const x = Number(a) * pow2(exponent);
    if (x >= MIN_NORMAL && x !== Infinity) return negative ? -x : x;
  }
  const length = bitLength(a);
  const top = length - 1 + exponent; // a · 2^exponent is in [2^top, 2^(top+1))
  if (top > 1023) return negative ? -Infinity : Infinity;
  // The weight of the last mantissa bit kept: 53 significant bits, or 2^-1074 for subnormals.
  const unit = Math.max(top - 52, -1074);
  const q = shiftRoundHalfEven(a, unit - exponent); // ≤ 2^53, exact in a double
  let x = Number(q);
  // q · 2^unit is representable (or overflows to Infinity, correctly); scale in exact steps.
  if (unit >= -1022 || unit === -1074) x *= pow2(unit);
  else x = x * pow2(unit + 64) * pow2(-64);
  return negative ? -x : x;
}

/** A fixed-point value → the nearest double. */
export function fixedToFloat64(m: bigint, bits: number): number {
  return dyadicToFloat64(m, -bits);
}

/**
 * m · 2^exp → (mantissa, exponent) with the mantissa a double in [1, 2) correctly rounded to
 * 53 bits (ties to even) and any integer exponent: no underflow or overflow at any depth.
 */
export function dyadicToFloatExp(mantissa: bigint, exponent: number): FloatExp {
  if (mantissa === 0n) return { mantissa: 0, exponent: 0 };
  const negative = mantissa < 0n;
  const a = negative ? -mantissa : mantissa;
  let top = bitLength(a) - 1 + exponent;
  let q = shiftRoundHalfEven(a, top - 52 - exponent); // in [2^52, 2^53]
  if (q === 1n << 53n) {
    q = 1n << 52n; // rounding carried into a new leading bit
    top += 1;
  }
  const m = Number(q) * pow2(-52);
  return { mantissa: negative ? -m : m, exponent: top };
}

export function fixedToFloatExp(m: bigint, bits: number): FloatExp {
  return dyadicToFloatExp(m, -bits);
}

function checkBits(bits: number): void {
  if (!Number.isInteger(bits) || bits < 0) throw new RangeError(`fraction bits must be an integer ≥ 0, got ${bits}`);
}
