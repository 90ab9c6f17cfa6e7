import { describe, expect, it } from "vitest";
import {
  ANCHOR_LEVELS,
  anchorId,
  anchorOf,
  computeReference,
  decodeReference,
  encodeReference,
  renderDeepTile,
  renderDeepView,
  type DeepTileInput,
} from "./index";
import { escapeCountFixed } from "./truth";

/** Exact decimal string of n / 2^k. */
function dyadicToDecimal(n: bigint, k: number): string {
  const neg = n < 0n;
  const digits = ((neg ? -n : n) * 5n ** BigInt(k)).toString().padStart(k + 1, "0");
  const text = `${digits.slice(0, digits.length - k)}.${digits.slice(digits.length - k)}`;
  return (neg ? "-" : "") + text;
}

/** The tile at zoom z whose top-left corner is the Misiurewicz point C = i. */
function cornerOfI(z: number): { x: bigint; y: bigint } {
  return { x: 5n << BigInt(z - 3), y: 1n << BigInt(z - 2) };
}

/** Counts of sampled pixel centres by direct BigInt iteration, as [perturbation, truth] pairs. */
function sampleTruth(input: DeepTileInput, counts: Uint32Array, stride: number): [number, number][] {
  const side = 256 * input.scale;
  const unit = input.z + 8; // pixel centres are integers at 2^-(z+8)
  const fracBits = unit + 64;
  const lift = BigInt(fracBits - unit);
  const du = 4 / input.scale;
  const pairs: [number, number][] = [];
  for (let py = stride >> 1; py < side; py += stride) {
    for (let px = stride >> 1; px < side; px += stride) {
      const re = (-5n << BigInt(input.z + 7)) + (input.x << 10n) + BigInt(du * px + du / 2);
      const im = (1n << BigInt(input.z + 9)) - (input.y << 10n) - BigInt(du * py + du / 2);
      pairs.push([counts[py * side + px], escapeCountFixed(re << lift, im << lift, fracBits, input.maxIter)]);
    }
  }
  return pairs;
}

describe("anchors", () => {
  it("are the ancestor K levels up, with a short base-36 id", () => {
    const a = anchorOf({ z: 100, x: 12345678901234567890n, y: 98765432109876543210n });
    expect(a.z).toBe(100 - ANCHOR_LEVELS);
    expect(a.x).toBe(12345678901234567890n >> BigInt(ANCHOR_LEVELS));
    expect(anchorId(a)).toBe(`${a.z}-${a.x.toString(36)}-${a.y.toString(36)}`);
  });
});

describe("reference orbit encoding", () => {
  const anchor = anchorOf({ z: 60, ...cornerOfI(60) });
  const ref = computeReference(anchor, 500);

  it("round-trips exactly", () => {
    const back = decodeReference(encodeReference(ref), anchor, 500);
    expect(back.re).toEqual(ref.re);
    expect(back.im).toEqual(ref.im);
    expect(back.escaped).toBe(ref.escaped);
  });

  it("rejects corrupt, truncated or mismatched bytes", () => {
    const bytes = encodeReference(ref);
    const flipped = bytes.slice();
    flipped[100] ^= 1;
    expect(() => decodeReference(flipped, anchor, 500)).toThrow(/checksum/);
    expect(() => decodeReference(bytes.subarray(0, bytes.length - 8), anchor, 500)).toThrow();
    expect(() => decodeReference(bytes, anchor, 501)).toThrow(/budget/);
    expect(() => decodeReference(bytes, { ...anchor, x: anchor.x + 1n }, 500)).toThrow(/anchor/);
  });
});

describe("deep tiles against direct BigInt iteration", () => {
  for (const z of [60, 200, 1100]) {
    it(`agree at the corner of C = i, z${z} (js engine)`, () => {
      const input: DeepTileInput = { z, ...cornerOfI(z), scale: 1, maxIter: 2000 };
      const { counts } = renderDeepTile(input, undefined, { engine: "js" });
      const pairs = sampleTruth(input, counts, 32);
      const same = pairs.filter(([a, b]) => a === b).length;
      expect(same / pairs.length).toBeGreaterThanOrEqual(0.99);
    });
  }
});

describe("views", () => {
  it("equal the tiles side by side across an anchor boundary", () => {
    const z = 80;
    const { x, y } = cornerOfI(z); // x is a multiple of 2^K: tiles x-1 and x have different anchors
    const maxIter = 1000;
    const left = renderDeepTile({ z, x: x - 1n, y, scale: 1, maxIter }, undefined, { engine: "js" });
    const right = renderDeepTile({ z, x, y, scale: 1, maxIter }, undefined, { engine: "js" });
    expect(anchorId(anchorOf({ z, x: x - 1n, y }))).not.toBe(anchorId(anchorOf({ z, x, y })));
    // centre: the middle of the shared edge, i − (side / 2)·i with side = 4 / 2^z
    const k = z + 1;
    const view = renderDeepView(
      { re: dyadicToDecimal(0n, k), im: dyadicToDecimal((1n << BigInt(k)) - 4n, k), zoom: z, width: 512, height: 256, maxIter },
      computeReference,
      { engine: "js" },
    );
    for (let row = 0; row < 256; row++) {
      expect(view.counts.subarray(row * 512, row * 512 + 256)).toEqual(left.counts.subarray(row * 256, row * 256 + 256));
      expect(view.counts.subarray(row * 512 + 256, row * 512 + 512)).toEqual(right.counts.subarray(row * 256, row * 256 + 256));
      expect(view.smooth.subarray(row * 512, row * 512 + 256)).toEqual(left.smooth.subarray(row * 256, row * 256 + 256));
    }
  });
});
