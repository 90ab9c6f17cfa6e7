import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  DEFAULT_PALETTE,
  GRADIENT_ENTRIES,
  INTERIOR_INDEX,
  PALETTES,
  colourTable,
  indicesToRgba,
  isPaletteName,
  DEEP_CYCLES_PER_OCTAVE,
  SHALLOW_COLOUR_MAX_ZOOM,
  deepCyclesPerOctave,
  paletteIndex,
  paletteIndices,
  sameColouring,
} from "./index";

describe("palettes", () => {
  it("offers a classic gradient, perceptual ramps and grayscale, with classic as default", () => {
    expect(PALETTES).toEqual(expect.arrayContaining(["classic", "viridis", "magma", "grayscale"]));
    expect(PALETTES).toContain(DEFAULT_PALETTE);
  });

  it("recognises palette names exactly", () => {
    expect(isPaletteName("magma")).toBe(true);
    for (const bad of ["Magma", "magma ", "", "toString", "__proto__", undefined, 3])
      expect(isPaletteName(bad)).toBe(false);
  });

  it("gives every palette a distinct fixed interior colour at the interior index", () => {
    for (const name of PALETTES) {
      const { rgb } = colourTable(name);
      const interior = [...rgb.subarray(INTERIOR_INDEX * 3, INTERIOR_INDEX * 3 + 3)];
      expect(rgb.length).toBe(256 * 3);
      // The gradient must not contain the interior colour, or interior and exterior would blur together.
      for (let i = 0; i < GRADIENT_ENTRIES; i++)
        expect([...rgb.subarray(i * 3, i * 3 + 3)], `${name}[${i}]`).not.toEqual(interior);
    }
  });

  it("has gradients without jumps, including the wrap from the last entry to the first (no banding seam)", () => {
    for (const name of PALETTES) {
      const { rgb } = colourTable(name);
      for (let i = 0; i < GRADIENT_ENTRIES; i++) {
        const j = (i + 1) % GRADIENT_ENTRIES;
        const jump = Math.max(...[0, 1, 2].map((k) => Math.abs(rgb[i * 3 + k] - rgb[j * 3 + k])));
        expect(jump, `${name} between entries ${i} and ${j}`).toBeLessThanOrEqual(16);
      }
    }
  });
});

describe("paletteIndex", () => {
  it("maps interior (-1) to the interior entry", () => {
    expect(paletteIndex(-1)).toBe(INTERIOR_INDEX);
  });

  it("keeps nonsense values (NaN, infinities) in range rather than failing", () => {
    for (const v of [NaN, Infinity, -Infinity, -0.5]) expect(paletteIndex(v)).toBe(INTERIOR_INDEX);
  });

  it("maps every escape value to a gradient entry", () => {
    fc.assert(
      fc.property(fc.float({ min: 0, max: 1e7, noNaN: true }), (v) => {
        const index = paletteIndex(v);
        expect(Number.isInteger(index) && index >= 0 && index < GRADIENT_ENTRIES).toBe(true);
      }),
    );
  });

  it("changes smoothly: nearby escape values get the same or a neighbouring entry", () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e5, noNaN: true }), (v) => {
        const a = paletteIndex(v);
        const b = paletteIndex(v + 0.01);
        const distance = Math.min(Math.abs(a - b), GRADIENT_ENTRIES - Math.abs(a - b)); // cyclic
        expect(distance).toBeLessThanOrEqual(1);
      }),
    );
  });

  it("depends only on the pixel's own value: a tile's indices are the per-pixel map of its values", () => {
    // Two "tiles" with very different value distributions share some pixels;
    // the shared pixels must get the same entries (histogram colouring would not).
    const shared = new Float32Array([0.5, 3.25, 17.9, 250.1, -1, 999.5]);
    const tileA = new Float32Array([...shared, 1, 1, 1, 1]);
    const tileB = new Float32Array([...shared, 5000, 6000, 7000, 8000]);
    const a = paletteIndices(tileA);
    const b = paletteIndices(tileB);
    expect([...a.subarray(0, shared.length)]).toEqual([...b.subarray(0, shared.length)]);
    expect([...a.subarray(0, shared.length)]).toEqual([...shared].map(paletteIndex));
  });

  it("keeps the shallow rule exactly up to z32, so shallow tiles keep their bytes", () => {
    // The rule as it was before deep zoom, restated as the specification.
    const shallow = (s: number) => {
      const phase = Math.sqrt(1 + s) / 6;
      return Math.min(Math.floor((phase - Math.floor(phase)) * GRADIENT_ENTRIES), GRADIENT_ENTRIES - 1);
    };
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        fc.integer({ min: 0, max: SHALLOW_COLOUR_MAX_ZOOM }),
        (v, z) => {
          expect(paletteIndex(v, z)).toBe(shallow(v));
          expect(paletteIndex(v)).toBe(shallow(v));
        },
      ),
    );
  });

  it("colours deep tiles by deepCyclesPerOctave(z) cycles per doubling of 1 + s: 2, × sqrt(z/200) past z200", () => {
    // [zoom, cycles per octave]: whole octaves (1 + s = 2^k) land on the gradient's start; at
    // 1 + s = 2^10.25 the phase is 10.25 · cycles.
    for (const [z, cycles] of [
      [33, 2],
      [50, 2],
      [200, 2],
      [450, 3],
      [800, 4],
      [1800, 6],
    ]) {
      expect(deepCyclesPerOctave(z)).toBe(cycles);
      for (let k = 1; k < 16; k++) expect(paletteIndex(2 ** k - 1, z), `z${z} k${k}`).toBe(0);
      const phase = 10.25 * cycles;
      expect(paletteIndex(2 ** 10.25 - 1, z)).toBe(Math.floor((phase - Math.floor(phase)) * GRADIENT_ENTRIES));
      expect(paletteIndex(-1, z)).toBe(INTERIOR_INDEX);
      expect(paletteIndex(Number.NaN, z)).toBe(INTERIOR_INDEX);
    }
    expect(DEEP_CYCLES_PER_OCTAVE).toBe(2);
    fc.assert(
      // Values from 30 up: a deep tile near the set has counts of the order of its zoom or more.
      fc.property(fc.double({ min: 30, max: 1e7, noNaN: true }), fc.integer({ min: 33, max: 3000 }), (v, z) => {
        const index = paletteIndex(v, z);
        expect(Number.isInteger(index) && index >= 0 && index < GRADIENT_ENTRIES).toBe(true);
        if (z <= 200) expect(index).toBe(paletteIndex(v, 200)); // one rule for every zoom to z200
        const next = paletteIndex(v + 0.01, z);
        const distance = Math.min(Math.abs(index - next), GRADIENT_ENTRIES - Math.abs(index - next));
        expect(distance).toBeLessThanOrEqual(1); // smooth: no jumps between neighbouring values
      }),
    );
  });

  it("shifts deep colours only slightly from one zoom to the next (no flicker while zooming)", () => {
    for (let z = 33; z < 3000; z++) expect(deepCyclesPerOctave(z + 1) / deepCyclesPerOctave(z)).toBeLessThan(1.003);
  });

  it("keeps contrast at deep zooms: escape values 2000–3000 still span several colours", () => {
    const seen = new Set<number>();
    for (let v = 2000; v <= 3000; v += 1) seen.add(paletteIndex(v));
    expect(seen.size).toBeGreaterThan(50);
  });
});

describe("indicesToRgba", () => {
  it("looks up each index in the palette and writes opaque RGBA", () => {
    const table = colourTable("grayscale");
    const rgba = indicesToRgba(new Uint8Array([0, INTERIOR_INDEX, 100]), table.rgba32);
    expect([...rgba]).toEqual([
      ...table.rgb.subarray(0, 3),
      255,
      ...table.rgb.subarray(INTERIOR_INDEX * 3, INTERIOR_INDEX * 3 + 3),
      255,
      ...table.rgb.subarray(300, 303),
      255,
    ]);
  });
});

describe("sameColouring", () => {
  const smoothValues = Array.from({ length: 4000 }, (_, i) => i * 7.3 + (i % 13) / 17);

  it("holds only where every smooth value gets the same index at both zooms", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 400 }), fc.integer({ min: -2, max: 2 }), (zoom, delta) => {
        const other = Math.max(0, zoom + delta);
        const differs = smoothValues.some((s) => paletteIndex(s, zoom) !== paletteIndex(s, other));
        expect(sameColouring(zoom, other)).toBe(!differs);
      }),
      { numRuns: 300 },
    );
  });

  it("separates the shallow and deep rules and the deep rule's growing cycles", () => {
    expect(sameColouring(31, 32)).toBe(true);
    expect(sameColouring(32, 33)).toBe(false);
    expect(sameColouring(150, 151)).toBe(true);
    expect(sameColouring(200, 201)).toBe(false);
  });
});
