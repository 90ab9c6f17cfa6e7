import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  addDyadic,
  bitLength,
  DecimalSyntaxError,
  dyadicFromFloat64,
  dyadicToFloat64,
  dyadicToFloatExp,
  fixedFromDyadic,
  fixedToFloat64,
  formatDyadic,
  formatFixed,
  MAX_DECIMAL_LENGTH,
  mulDyadic,
  mulFixed,
  normalizeDyadic,
  parseDecimal,
  parseDecimalDyadic,
  parseDecimalRational,
  sqrFixed,
} from "./fixed";

// Exact rationals as the oracle: n / d with d > 0.
interface Rational {
  n: bigint;
  d: bigint;
}
const pow2n = (k: number): bigint => 1n << BigInt(k);
const dyadicRational = (m: bigint, e: number): Rational =>
  e >= 0 ? { n: m << BigInt(e), d: 1n } : { n: m, d: pow2n(-e) };
const cmp = (a: Rational, b: Rational): number => {
  const l = a.n * b.d;
  const r = b.n * a.d;
  return l < r ? -1 : l > r ? 1 : 0;
};
const sub = (a: Rational, b: Rational): Rational => ({ n: a.n * b.d - b.n * a.d, d: a.d * b.d });
const abs = (a: Rational): Rational => ({ n: a.n < 0n ? -a.n : a.n, d: a.d });
const ofDouble = (x: number): Rational => {
  const { mantissa, exponent } = dyadicFromFloat64(x);
  return dyadicRational(mantissa, exponent);
};

/** The double next to x, away from zero or towards it, by its bit pattern. */
function neighbour(x: number, away: boolean): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  view.setBigUint64(0, away ? bits + 1n : bits - 1n);
  return view.getFloat64(0);
}

const decimalString = fc
  .tuple(
    fc.constantFrom("", "-", "+"),
    fc.stringMatching(/^\d{0,40}$/),
    fc.option(fc.stringMatching(/^\d{0,80}$/), { nil: undefined }),
    fc.option(fc.integer({ min: -400, max: 40 }), { nil: undefined }),
  )
  .filter(([, whole, fraction]) => whole.length + (fraction?.length ?? 0) > 0)
  .map(
    ([sign, whole, fraction, exp]) =>
      `${sign}${whole}${fraction === undefined ? "" : `.${fraction}`}${exp === undefined ? "" : `e${exp}`}`,
  );

const bigintOfBits = (maxBits: number) => fc.bigInt({ min: -(pow2n(maxBits) - 1n), max: pow2n(maxBits) - 1n });

describe("parseDecimal", () => {
  it("gives the nearest fixed-point value, ties to even", () => {
    fc.assert(
      fc.property(decimalString, fc.integer({ min: 0, max: 2100 }), (text, bits) => {
        const { num, den } = parseDecimalRational(text);
        const v = { n: num, d: den };
        const m = parseDecimal(text, bits);
        // |m / 2^bits − v| ≤ 2^-(bits+1), and on an exact tie m is even.
        const err = abs(sub({ n: m, d: pow2n(bits) }, v));
        const half = { n: 1n, d: pow2n(bits + 1) };
        const c = cmp(err, half);
        expect(c).toBeLessThanOrEqual(0);
        if (c === 0) expect(m & 1n).toBe(0n);
      }),
      { numRuns: 400 },
    );
  });

  it("reads the rational value of the text exactly", () => {
    expect(parseDecimalRational("-0.75")).toEqual({ num: -75n, den: 100n });
    expect(parseDecimalRational("1.5e3")).toEqual({ num: 1500n, den: 1n });
    expect(parseDecimalRational(".5")).toEqual({ num: 5n, den: 10n });
    expect(parseDecimalRational("7.")).toEqual({ num: 7n, den: 1n });
    expect(parseDecimal("-2.5", 4)).toBe(-40n);
    expect(parseDecimal("0.1", 4)).toBe(2n); // 1.6 → 2
    expect(parseDecimal("0.09375", 4)).toBe(2n); // 1.5 → 2 (tie to even)
    expect(parseDecimal("0.03125", 4)).toBe(0n); // 0.5 → 0 (tie to even)
    expect(parseDecimal("-0.03125", 4)).toBe(0n);
    expect(parseDecimal("-0.09375", 4)).toBe(-2n);
  });

  it("parses a coordinate of more than 600 digits without loss", () => {
    const digits = "1234567890".repeat(61);
    const text = `-0.${digits}`;
    const bits = 2100;
    expect(formatFixed(parseDecimal(text, bits), bits, digits.length)).toBe(text.replace(/0+$/, ""));
  });

  it.each([
    ["", "empty"],
    ["-", "no digits"],
    [".", "no digits"],
    ["1.2.3", "two points"],
    ["1,5", "comma"],
    [" 1", "space"],
    ["0x10", "hex"],
    ["Infinity", "word"],
    ["NaN", "word"],
    ["1e", "bare exponent"],
    ["1e99999999", "huge exponent"],
    ["1e-5000", "exponent out of range"],
    ["--1", "two signs"],
    ["١٢", "non-ASCII digits"],
  ])("rejects %j (%s) with a DecimalSyntaxError", (text) => {
    expect(() => parseDecimal(text, 64)).toThrow(DecimalSyntaxError);
  });

  it("rejects strings longer than MAX_DECIMAL_LENGTH before doing any arithmetic", () => {
    const text = `0.${"1".repeat(MAX_DECIMAL_LENGTH)}`;
    expect(() => parseDecimal(text, 64)).toThrow(/at most 4096 characters/);
    expect(() => parseDecimal(`0.${"1".repeat(MAX_DECIMAL_LENGTH - 2)}`, 64)).not.toThrow();
  });

  it("reads dyadic decimals exactly and refuses the others", () => {
    expect(parseDecimalDyadic("-2.5")).toEqual({ mantissa: -5n, exponent: -1 });
    expect(parseDecimalDyadic("0.1875")).toEqual({ mantissa: 3n, exponent: -4 });
    expect(parseDecimalDyadic("12")).toEqual({ mantissa: 3n, exponent: 2 });
    expect(() => parseDecimalDyadic("0.1")).toThrow(DecimalSyntaxError);
  });
});

describe("formatFixed / formatDyadic", () => {
  it("is exact: parsing the text gives the same value back", () => {
    fc.assert(
      fc.property(bigintOfBits(600), fc.integer({ min: 0, max: 700 }), (m, bits) => {
        const text = formatFixed(m, bits);
        expect(parseDecimalRational(text)).toSatisfy(
          (v: { num: bigint; den: bigint }) => cmp({ n: v.num, d: v.den }, { n: m, d: pow2n(bits) }) === 0,
        );
        expect(text).not.toMatch(/\.\d*0$|^-0$|^-?0\d/);
      }),
      { numRuns: 300 },
    );
  });

  it("rounds to a number of fraction digits, ties to even", () => {
    expect(formatFixed(-40n, 4)).toBe("-2.5");
    expect(formatFixed(1n, 3)).toBe("0.125");
    expect(formatFixed(1n, 3, 2)).toBe("0.12");
    expect(formatFixed(3n, 3, 2)).toBe("0.38");
    expect(formatFixed(-1n, 3, 1)).toBe("-0.1");
    expect(formatFixed(-1n, 4, 1)).toBe("-0.1"); // -0.0625 → -0.1
    expect(formatFixed(-1n, 5, 1)).toBe("0"); // -0.03125 → -0.0 prints as 0
    expect(formatDyadic({ mantissa: 3n, exponent: 4 })).toBe("48");
  });
});

describe("mulFixed / sqrFixed", () => {
  it("truncate the exact product toward −∞", () => {
    fc.assert(
      fc.property(bigintOfBits(1100), bigintOfBits(1100), fc.integer({ min: 1, max: 1100 }), (a, b, bits) => {
        const p = mulFixed(a, b, bits);
        // p · 2^bits ≤ a·b < (p + 1) · 2^bits
        expect(p * pow2n(bits) <= a * b).toBe(true);
        expect(a * b < (p + 1n) * pow2n(bits)).toBe(true);
        expect(sqrFixed(a, bits)).toBe(mulFixed(a, a, bits));
      }),
      { numRuns: 300 },
    );
    expect(mulFixed(-1n, 1n, 4)).toBe(-1n); // −1/256 → −1/16 (floor), not 0
  });
});

describe("dyadic values", () => {
  it("normalise to one spelling and do exact arithmetic", () => {
    expect(normalizeDyadic({ mantissa: 12n, exponent: -5 })).toEqual({ mantissa: 3n, exponent: -3 });
    expect(normalizeDyadic({ mantissa: 0n, exponent: -5 })).toEqual({ mantissa: 0n, exponent: 0 });
    // A z2000 tile corner: −2.5 + x · 4 / 2^2000 with x = 2^1999 − 1 (the last tile left of 0.5·… )
    const z = 2000;
    const x = pow2n(z - 1) - 1n;
    const left = addDyadic(
      { mantissa: -5n, exponent: -1 },
      mulDyadic({ mantissa: x, exponent: 0 }, { mantissa: 1n, exponent: 2 - z }),
    );
    // = −2.5 + 2 − 4 · 2^-2000 = −0.5 − 2^-1998
    expect(left).toEqual(normalizeDyadic({ mantissa: -(pow2n(1997) + 1n), exponent: -1998 }));
    expect(fixedFromDyadic(left, 1998)).toBe(-(pow2n(1997) + 1n));
    expect(() => fixedFromDyadic(left, 1997)).toThrow(RangeError);
  });

  it("read any double exactly", () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        const d = dyadicFromFloat64(x);
        expect(dyadicToFloat64(d.mantissa, d.exponent)).toBe(x === 0 ? 0 : x);
      }),
      { numRuns: 2000 },
    );
    expect(dyadicFromFloat64(Number.MIN_VALUE)).toEqual({ mantissa: 1n, exponent: -1074 });
    expect(dyadicFromFloat64(-0.75)).toEqual({ mantissa: -3n, exponent: -2 });
  });
});

describe("conversion to float64", () => {
  it("is correctly rounded (nearest, ties to even), subnormals and overflow included", () => {
    fc.assert(
      fc.property(bigintOfBits(200), fc.integer({ min: -1300, max: 1100 }), (m, e) => {
        const f = dyadicToFloat64(m, e);
        const v = dyadicRational(m, e);
        if (!Number.isFinite(f)) {
          // Only when v is at least the halfway point between the largest double and 2^1024.
          const limit = { n: pow2n(1024) - pow2n(970), d: 1n };
          expect(cmp(abs(v), limit)).toBeGreaterThanOrEqual(0);
          return;
        }
        const err = abs(sub(v, ofDouble(f)));
        for (const away of [true, false]) {
          if (f === 0 && !away) continue;
          const g = neighbour(Math.abs(f), away);
          if (!Number.isFinite(g)) continue;
          const other = abs(sub(abs(v), ofDouble(g)));
          const c = cmp(err, other);
          expect(c).toBeLessThanOrEqual(0);
          if (c === 0) expect(dyadicFromFloat64(Math.abs(f)).exponent).toBeGreaterThan(dyadicFromFloat64(g).exponent);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it("takes the same values through the fast path for wide mantissas", () => {
    fc.assert(
      fc.property(bigintOfBits(4200), fc.integer({ min: 0, max: 4300 }), (m, bits) => {
        const f = fixedToFloat64(m, bits);
        expect(f).toBe(Number.parseFloat(formatFixed(m, bits)));
      }),
      { numRuns: 300 },
    );
  });

  it("agrees with V8's correctly rounded decimal parser on the exact decimal text", () => {
    fc.assert(
      fc.property(bigintOfBits(120), fc.integer({ min: 0, max: 1200 }), (m, bits) => {
        expect(fixedToFloat64(m, bits)).toBe(Number.parseFloat(formatFixed(m, bits)));
      }),
      { numRuns: 1000 },
    );
  });

  it("handles the edges", () => {
    expect(dyadicToFloat64(1n, -1074)).toBe(Number.MIN_VALUE);
    expect(dyadicToFloat64(1n, -1075)).toBe(0); // tie between 0 and MIN_VALUE → even (0)
    expect(dyadicToFloat64(3n, -1076)).toBe(Number.MIN_VALUE); // 0.75 ulp → 1 ulp
    expect(dyadicToFloat64(-1n, 1024)).toBe(-Infinity);
    expect(dyadicToFloat64(pow2n(53) - 1n, 971)).toBe(Number.MAX_VALUE);
    expect(dyadicToFloat64(pow2n(54) - 1n, 970)).toBe(Infinity); // rounds up past MAX_VALUE
    expect(dyadicToFloat64(pow2n(53) + 1n, 0)).toBe(2 ** 53); // tie → even
    expect(dyadicToFloat64(pow2n(53) + 3n, 0)).toBe(2 ** 53 + 4);
    expect(fixedToFloat64(parseDecimal("-0.75", 3000), 3000)).toBe(-0.75);
  });
});

describe("conversion to (mantissa, exponent)", () => {
  it("keeps 53 correctly rounded bits at any exponent", () => {
    fc.assert(
      fc.property(bigintOfBits(300), fc.integer({ min: -20000, max: 20000 }), (m, e) => {
        const { mantissa, exponent } = dyadicToFloatExp(m, e);
        if (m === 0n) {
          expect({ mantissa, exponent }).toEqual({ mantissa: 0, exponent: 0 });
          return;
        }
        expect(Math.abs(mantissa)).toBeGreaterThanOrEqual(1);
        expect(Math.abs(mantissa)).toBeLessThan(2);
        // Same digits as the float64 conversion of the value moved into the normal range.
        const shift = -exponent;
        expect(mantissa).toBe(dyadicToFloat64(m, e + shift));
        expect(bitLength(m)).toBeGreaterThan(0);
      }),
      { numRuns: 1000 },
    );
    expect(dyadicToFloatExp(pow2n(53) - 1n, -3000)).toEqual({ mantissa: 2 - 2 ** -52, exponent: -3000 + 52 });
    expect(dyadicToFloatExp(pow2n(54) - 1n, -3000)).toEqual({ mantissa: 1, exponent: -3000 + 54 }); // carry
    expect(dyadicToFloatExp(-3n, -5000)).toEqual({ mantissa: -1.5, exponent: -4999 });
  });
});
