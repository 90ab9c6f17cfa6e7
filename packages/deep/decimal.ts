/**
 * Decimal strings to fixed point: "-0.7436438870371587…" → round(value · 2^fracBits) as a BigInt.
 * Plain decimal notation with an optional exponent ("1.5e-300"); rounds half away from zero.
 */
const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d{1,6}))?$/;

export const MAX_DECIMAL_LENGTH = 4000;

export function parseDecimalFixed(text: string, fracBits: number): bigint {
  if (typeof text !== "string" || text.length === 0 || text.length > MAX_DECIMAL_LENGTH) {
    throw new RangeError(`a decimal number of 1 to ${MAX_DECIMAL_LENGTH} characters is required`);
  }
  const match = DECIMAL.exec(text.trim());
  if (!match || (match[2] === "" && (match[3] ?? "") === "")) throw new RangeError(`"${text.slice(0, 40)}" is not a decimal number`);
  const [, sign, whole, frac = "", exp = "0"] = match;
  const digits = BigInt((whole + frac).replace(/^0+(?=\d)/, "") || "0");
  const exponent = Number(exp) - frac.length; // value = digits · 10^exponent
  if (exponent > 10 || exponent < -(MAX_DECIMAL_LENGTH + 10)) {
    if (digits === 0n) return 0n;
    if (exponent > 10) throw new RangeError(`"${text.slice(0, 40)}" is too large`);
  }
  let num = digits << BigInt(fracBits);
  let den = 1n;
  if (exponent >= 0) num *= 10n ** BigInt(exponent);
  else den = 10n ** BigInt(-exponent);
  const q = (2n * num + den) / (2n * den); // round half up (magnitude)
  return sign === "-" ? -q : q;
}
