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
import { compareWithTruth } from "./truth-samples";
import { escapeCountFixed } from "./truth";
import { parseDecimal } from "./fixed";

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

describe("engines and switches", () => {
  it("the wasm loop with BLA off equals the TypeScript definition bit for bit (plain and scaled deltas)", () => {
    for (const z of [120, 1100]) {
      const input: DeepTileInput = { z, ...cornerOfI(z), scale: 1, maxIter: 2000 };
      const ref = computeReference(anchorOf(input), input.maxIter);
      const js = renderDeepTile(input, ref, { engine: "js" });
      const wasm = renderDeepTile(input, ref, { engine: "wasm", bla: false });
      expect(wasm.counts).toEqual(js.counts);
      expect(wasm.smooth).toEqual(js.smooth);
      expect(wasm.stats.perturbationSteps).toBe(js.stats.perturbationSteps);
    }
  });

  it("BLA skips most iterations and keeps the counts of the per-step loop", () => {
    const input: DeepTileInput = { z: 600, ...cornerOfI(600), scale: 1, maxIter: 3000 };
    const ref = computeReference(anchorOf(input), input.maxIter);
    const plain = renderDeepTile(input, ref, { bla: false });
    const bla = renderDeepTile(input, ref, { bla: true });
    const run = bla.stats.perturbationSteps + bla.stats.blaSteps;
    expect(run * 5).toBeLessThan(plain.stats.perturbationSteps);
    let same = 0;
    for (let i = 0; i < plain.counts.length; i++) if (plain.counts[i] === bla.counts[i]) same++;
    expect(same / plain.counts.length).toBeGreaterThanOrEqual(0.999);
  });

  it("extended range is what makes tiles below 2^-1000 right", () => {
    const input: DeepTileInput = { z: 1100, ...cornerOfI(1100), scale: 1, maxIter: 3000 };
    const ref = computeReference(anchorOf(input), input.maxIter);
    const on = renderDeepTile(input, ref);
    // (BLA off too: its float-exp coefficients carry B·c past the underflow on their own)
    const off = renderDeepTile(input, ref, { extendedRange: false, bla: false });
    expect(compareWithTruth(input, on.counts, 8).exact).toBe(64);
    // without it every pixel offset underflows to 0: the whole tile takes the reference's count
    expect(new Set(off.counts).size).toBe(1);
    expect(compareWithTruth(input, off.counts, 8).exact).toBeLessThan(32);
  });

  it("rebasing is what keeps pixels right whose orbit passes closer to 0 than the reference's", () => {
    const input: DeepTileInput = { z: 50, x: 494370295991834n, y: 525844260105260n, scale: 1, maxIter: 8000 };
    const ref = computeReference(anchorOf(input), input.maxIter);
    const on = compareWithTruth(input, renderDeepTile(input, ref, { bla: false }).counts, 8);
    const off = compareWithTruth(input, renderDeepTile(input, ref, { bla: false, rebase: false }).counts, 8);
    expect(on.escapedBoth).toBeGreaterThan(40);
    expect(on.exact).toBeGreaterThanOrEqual(on.escapedBoth - 1);
    expect(off.exact).toBeLessThan(on.exact - 5);
  });
});

describe("views", () => {
  it("equal the tiles side by side across an anchor boundary", () => {
    const z = 80;
    const { x, y } = cornerOfI(z); // x is a multiple of 2^K: tiles x-1 and x have different anchors
    const maxIter = 1000;
    const left = renderDeepTile({ z, x: x - 1n, y, scale: 1, maxIter });
    const right = renderDeepTile({ z, x, y, scale: 1, maxIter });
    expect(anchorId(anchorOf({ z, x: x - 1n, y }))).not.toBe(anchorId(anchorOf({ z, x, y })));
    // centre: the middle of the shared edge, i − (side / 2)·i with side = 4 / 2^z
    const k = z + 1;
    const view = renderDeepView(
      {
        re: dyadicToDecimal(0n, k),
        im: dyadicToDecimal((1n << BigInt(k)) - 4n, k),
        zoom: z,
        width: 512,
        height: 256,
        maxIter,
      },
      computeReference,
    );
    for (let row = 0; row < 256; row++) {
      expect(view.counts.subarray(row * 512, row * 512 + 256)).toEqual(
        left.counts.subarray(row * 256, row * 256 + 256),
      );
      expect(view.counts.subarray(row * 512 + 256, row * 512 + 512)).toEqual(
        right.counts.subarray(row * 256, row * 256 + 256),
      );
      expect(view.smooth.subarray(row * 512, row * 512 + 256)).toEqual(
        left.smooth.subarray(row * 256, row * 256 + 256),
      );
    }
  });

  it("equal four tiles of four anchors around an anchor corner, @2x", () => {
    const z = 300;
    const { x, y } = cornerOfI(z); // a corner of 2^K × 2^K anchors
    const maxIter = 1500;
    const tiles = [
      [x - 1n, y - 1n],
      [x, y - 1n],
      [x - 1n, y],
      [x, y],
    ].map(([tx, ty]) => renderDeepTile({ z, x: tx, y: ty, scale: 2, maxIter }));
    // @2x: 512 px per tile, so the view's pixel size is that of zoom z + 1
    const view = renderDeepView({ re: "0", im: "1", zoom: z + 1, width: 1024, height: 1024, maxIter });
    for (let row = 0; row < 1024; row++) {
      const tileRow = row & 511;
      const [a, b] = row < 512 ? [tiles[0], tiles[1]] : [tiles[2], tiles[3]];
      expect(view.counts.subarray(row * 1024, row * 1024 + 512)).toEqual(
        a.counts.subarray(tileRow * 512, tileRow * 512 + 512),
      );
      expect(view.counts.subarray(row * 1024 + 512, row * 1024 + 1024)).toEqual(
        b.counts.subarray(tileRow * 512, tileRow * 512 + 512),
      );
    }
  });

  it("at a fractional zoom with a long decimal centre agree with direct BigInt iteration", () => {
    // M24,1 (a Misiurewicz point, locations.ts) at zoom 200.5: pixel centres follow the documented rounding
    const re = "-0.775683768009053797469483503934741045728246504615800394794952001400666017";
    const im = "0.136467368294690124733274409617848765197772111592467696407800195400835666";
    const zoom = 200.5;
    const [width, height, maxIter] = [48, 32, 5000];
    const view = renderDeepView({ re, im, zoom, width, height, maxIter });
    const unitBits = 200 + 9 + 20; // README "Views": centres rounded to 2^-(zt + 29)
    const half = BigInt(Math.round(2 ** (22 + 200 - zoom)));
    const [cre, cim] = [parseDecimal(re, unitBits), parseDecimal(im, unitBits)];
    const lift = 64n;
    let same = 0;
    let total = 0;
    for (let j = 1; j < height; j += 6) {
      for (let i = 1; i < width; i += 6) {
        const pr = cre + BigInt(2 * i - width + 1) * half;
        const pi = cim - BigInt(2 * j - height + 1) * half;
        const truth = escapeCountFixed(pr << lift, pi << lift, unitBits + 64, maxIter);
        total++;
        if (view.counts[j * width + i] === truth) same++;
      }
    }
    expect(same).toBe(total);
    expect(new Set(view.counts).size).toBeGreaterThan(20); // structure, not one flat count
  });

  it("an @2x tile equals its four 1x children side by side", () => {
    const z = 150;
    const { x, y } = cornerOfI(z);
    const maxIter = 1500;
    const big = renderDeepTile({ z, x, y, scale: 2, maxIter });
    const kids = [0n, 1n].flatMap((dy) =>
      [0n, 1n].map((dx) => renderDeepTile({ z: z + 1, x: 2n * x + dx, y: 2n * y + dy, scale: 1, maxIter })),
    );
    for (let row = 0; row < 512; row++) {
      const [a, b] = row < 256 ? [kids[0], kids[1]] : [kids[2], kids[3]];
      const r = row & 255;
      expect(big.counts.subarray(row * 512, row * 512 + 256)).toEqual(a.counts.subarray(r * 256, r * 256 + 256));
      expect(big.smooth.subarray(row * 512 + 256, row * 512 + 512)).toEqual(b.smooth.subarray(r * 256, r * 256 + 256));
    }
  });
});
