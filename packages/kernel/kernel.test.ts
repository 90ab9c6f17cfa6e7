import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadWorkload } from "../../scripts/bench/kernels";
import { getKernel, KERNELS } from "./index";
import { renderReference } from "./reference";
import { renderScalar } from "./scalar";
import type { ScalarShortcuts } from "./scalar";
import type { EscapeResult, KernelInput } from "./types";
import { renderWasm } from "./wasm";
import type { WasmShortcuts } from "./wasm";
import { checksums, workloadInput } from "./workload";

const workload = loadWorkload();

/** Index of the first pixel where two results differ (counts or smooth, bit for bit), or -1. */
function firstDifference(a: EscapeResult, b: EscapeResult): number {
  if (a.counts.length !== b.counts.length) return 0;
  for (let i = 0; i < a.counts.length; i++) {
    if (a.counts[i] !== b.counts[i] || !Object.is(a.smooth[i], b.smooth[i])) return i;
  }
  return -1;
}

function expectChecksums(render: (input: KernelInput) => EscapeResult): void {
  for (const tile of workload.tiles) {
    const got = checksums(render(workloadInput(tile)).counts);
    expect({ tile: tile.name, ...got }).toEqual({ tile: tile.name, sum: tile.sum, hash31: tile.hash31 });
  }
}

// Each optimisation switched on alone must leave all counts unchanged (all of them together is
// the default kernel, checked through getKernel).
const SINGLE_WASM_SHORTCUTS: readonly WasmShortcuts[] = [
  { cardioidBulb: true, periodicity: false },
  { cardioidBulb: false, periodicity: true },
];
const SINGLE_SCALAR_SHORTCUTS: readonly ScalarShortcuts[] = [
  { cardioidBulb: true, periodicity: false, pairedOrbits: false },
  { cardioidBulb: false, periodicity: true, pairedOrbits: false },
  { cardioidBulb: false, periodicity: false, pairedOrbits: true },
];

describe("workload checksums (sum and hash31 of all nine tiles)", () => {
  it.each(KERNELS)("%s kernel (as selected by getKernel)", (name) => {
    expectChecksums((input) => getKernel(name).render(input));
  });

  it("wasm kernel with no shortcut (the SIMD loop alone)", () => {
    expectChecksums((input) => renderWasm(input, { cardioidBulb: false, periodicity: false }));
  });

  it.each(SINGLE_WASM_SHORTCUTS)("wasm kernel with only %o", (shortcuts) => {
    expectChecksums((input) => renderWasm(input, shortcuts));
  });

  it.each(SINGLE_SCALAR_SHORTCUTS)("scalar kernel with only %o", (shortcuts) => {
    expectChecksums((input) => renderScalar(input, shortcuts));
  });
});

// Random small tiles, many near the boundary where counts are most fragile; from zoom 0
// to past the depth where doubles degrade (which only has to be deterministic).
const BOUNDARY_POINTS: ReadonlyArray<readonly [number, number]> = [
  [-0.743643887037151, 0.13182590420533], // seahorse valley
  [0.2925, 0.015], // elephant valley
  [-0.1528, 1.0397], // p3 bulb edge
  [-0.75, 0.0], // cardioid/p2 bulb neck
  [0.25, 0.0], // cardioid cusp (parabolic: slow convergence)
  [-1.25, 0.0], // p2/p4 bulb contact
  [-1.7687788, 0.0017389], // minibrot on the needle
  [-2, 0], // the tip
];

const tileArbitrary = fc
  .record({
    centre: fc.oneof(
      fc.constantFrom(...BOUNDARY_POINTS),
      fc.tuple(fc.double({ min: -2.5, max: 1.5, noNaN: true }), fc.double({ min: -2, max: 2, noNaN: true })),
    ),
    offset: fc.tuple(fc.double({ min: -1, max: 1, noNaN: true }), fc.double({ min: -1, max: 1, noNaN: true })),
    zoom: fc.integer({ min: 0, max: 45 }),
    width: fc.integer({ min: 1, max: 24 }),
    height: fc.integer({ min: 1, max: 24 }),
    maxIter: fc.oneof(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 3000 })),
  })
  .map(({ centre, offset, zoom, width, height, maxIter }): KernelInput => {
    const step = 4 / 2 ** zoom / 256;
    return {
      left: centre[0] + offset[0] * 8 * step - (width / 2) * step,
      top: centre[1] + offset[1] * 8 * step + (height / 2) * step,
      step,
      width,
      height,
      maxIter,
    };
  });

describe("optimised kernels agree with the naive reference pixel for pixel", () => {
  it.each([
    ["wasm", (input: KernelInput) => renderWasm(input)],
    ["scalar", (input: KernelInput) => renderScalar(input)],
  ] as const)("%s: counts and smooth values on random tiles", (_name, render) => {
    fc.assert(
      fc.property(tileArbitrary, (input) => {
        const want = renderReference(input);
        const got = render(input);
        expect(got.counts).toEqual(want.counts);
        expect(got.smooth).toEqual(want.smooth);
      }),
      { numRuns: 150 },
    );
  });

  it("wasm: a 512x512 tile (memory growth), then a smaller one, match the scalar kernel", () => {
    const big: KernelInput = { left: -2.5, top: 2, step: 4 / 512, width: 512, height: 512, maxIter: 100 };
    const small: KernelInput = { left: -0.75, top: 0.25, step: 0.25 / 100, width: 100, height: 37, maxIter: 700 };
    for (const input of [big, small]) {
      expect(firstDifference(renderWasm(input), renderScalar(input))).toBe(-1);
    }
  });
});

describe("smooth values", () => {
  const overview = workloadInput(workload.tiles[0]);
  const { counts, smooth } = getKernel("wasm").render(overview);

  it("are -1 exactly for interior pixels and >= 0 for escaped ones", () => {
    let interior = 0;
    const wrong: string[] = [];
    for (let i = 0; i < counts.length; i++) {
      const isInterior = counts[i] === overview.maxIter;
      if (isInterior) interior++;
      if (isInterior ? smooth[i] !== -1 : !(smooth[i] >= 0))
        wrong.push(`pixel ${i}: count ${counts[i]}, smooth ${smooth[i]}`);
    }
    expect(wrong.slice(0, 5)).toEqual([]);
    expect(interior).toBeGreaterThan(0);
  });

  it("are continuous across integer-count boundaries (no banding)", () => {
    // The "exterior z2" tile lies away from the set, where the potential is smooth at the
    // pixel scale: the integer count jumps by 1 between neighbours, the smooth value must not.
    const exterior = workloadInput(workload.tiles.find((t) => t.name.startsWith("exterior"))!);
    const result = getKernel("wasm").render(exterior);
    let boundaries = 0;
    let largestJumpAtBoundary = 0;
    for (let py = 0; py < exterior.height; py++) {
      for (let px = 0; px + 1 < exterior.width; px++) {
        const i = py * exterior.width + px;
        if (result.counts[i] === result.counts[i + 1]) continue;
        boundaries++;
        largestJumpAtBoundary = Math.max(largestJumpAtBoundary, Math.abs(result.smooth[i] - result.smooth[i + 1]));
      }
    }
    expect(boundaries).toBeGreaterThan(50);
    expect(largestJumpAtBoundary).toBeLessThan(0.05);
  });
});

describe("getKernel", () => {
  it("defaults to wasm and returns each named kernel", () => {
    expect(getKernel().name).toBe("wasm");
    for (const name of KERNELS) expect(getKernel(name).name).toBe(name);
  });

  it("rejects unknown names, naming the known ones", () => {
    expect(() => getKernel("gpu")).toThrow(/unknown kernel "gpu"; expected one of wasm, scalar, reference/);
  });

  it("every kernel rejects inputs it cannot honour", () => {
    for (const name of KERNELS) {
      const kernel = getKernel(name);
      expect(() => kernel.render({ left: 0, top: 0, step: 0.1, width: 0, height: 4, maxIter: 10 })).toThrow(/width/);
      expect(() => kernel.render({ left: 0, top: 0, step: 0, width: 4, height: 4, maxIter: 10 })).toThrow(/step/);
      expect(() => kernel.render({ left: 0, top: 0, step: 0.1, width: 4, height: 4, maxIter: 1.5 })).toThrow(/maxIter/);
      expect(() => kernel.render({ left: 0, top: 0, step: 0.1, width: 5000, height: 5000, maxIter: 10 })).toThrow(
        /width \* height/,
      );
    }
  });
});
