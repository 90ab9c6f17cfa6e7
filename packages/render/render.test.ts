import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { PNG } from "pngjs";
import {
  DEFAULT_PALETTE,
  MAX_ZOOM,
  PALETTES,
  RENDER_VERSION,
  TILE_SIZE,
  VIEW_LIMITS,
  ValidationError,
  iterationBudget,
  parseTileSpec,
  renderTilePng,
  renderViewRgba,
  sha256Hex,
  type TileSpec,
  type ViewSpec,
  DEEP_FROM_ZOOM,
  isDeepTile,
  referenceKey,
  renderTileWithReference,
  renderTileWithReferenceUsing,
  isReferenceOf,
  countGrids,
  LoopTooCostlyError,
  type GridCounter,
} from "./index";
import { DEEP_LOCATIONS, REFERENCE_FORMAT } from "../deep/index";
import { getKernel } from "../kernel/index";
import { colourTable, paletteIndex } from "../colour/index";
import { tileBounds } from "../tile/index";

function decodeRgba(bytes: Uint8Array): { width: number; height: number; rgba: Uint8Array } {
  const png = PNG.sync.read(Buffer.from(bytes));
  return { width: png.width, height: png.height, rgba: new Uint8Array(png.data) };
}

/** The tile's intended pixels, computed independently of the facade: kernel → per-pixel index → palette. */
function intendedRgba(spec: TileSpec): Uint8Array {
  const bounds = tileBounds(spec.z, spec.x, spec.y, spec.scale);
  const { smooth } = getKernel("reference").render({ ...bounds, maxIter: iterationBudget(spec.z, spec.scale) });
  const { rgb } = colourTable(spec.palette);
  const out = new Uint8Array(smooth.length * 4);
  smooth.forEach((value, i) => {
    const entry = paletteIndex(value);
    out.set([rgb[entry * 3], rgb[entry * 3 + 1], rgb[entry * 3 + 2], 255], i * 4);
  });
  return out;
}

/** A view covering exactly the pixels of a tile (or `across` neighbouring tiles to its right). */
function viewOfTile(spec: TileSpec, across = 1): ViewSpec {
  const b = tileBounds(spec.z, spec.x, spec.y, spec.scale);
  return {
    centerRe: b.left + (across * b.width * b.step) / 2,
    centerIm: b.top - (b.height * b.step) / 2,
    pixelSize: b.step,
    width: across * b.width,
    height: b.height,
    palette: spec.palette,
  };
}

function columns(rgba: Uint8Array, width: number, from: number, to: number): Uint8Array {
  const height = rgba.length / 4 / width;
  const out = new Uint8Array((to - from) * height * 4);
  for (let y = 0; y < height; y++)
    out.set(rgba.subarray((y * width + from) * 4, (y * width + to) * 4), y * (to - from) * 4);
  return out;
}

describe("facade constants", () => {
  it("has a short render version, 256 px tiles and the default palette among the palettes", () => {
    expect(RENDER_VERSION).toMatch(/^r\d+-[0-9a-f]{8}$/);
    expect(TILE_SIZE).toBe(256);
    expect(PALETTES).toContain(DEFAULT_PALETTE);
  });
});

describe("parseTileSpec", () => {
  it("fills in the default palette and 1x scale", () => {
    expect(parseTileSpec({ z: "2", x: "1", y: "3" })).toEqual({
      z: 2,
      x: 1n,
      y: 3n,
      scale: 1,
      palette: DEFAULT_PALETTE,
    });
  });

  it("accepts every palette by name and @2x", () => {
    for (const palette of PALETTES)
      expect(parseTileSpec({ z: "1", x: "0", y: "1", scale: "2", palette })).toEqual({
        z: 1,
        x: 0n,
        y: 1n,
        scale: 2,
        palette,
      });
  });

  it("rejects unknown palettes naming the field and listing the choices", () => {
    for (const bad of ["", "Classic", "rainbow", "constructor", "__proto__"]) {
      const error = (() => {
        try {
          parseTileSpec({ z: "1", x: "0", y: "0", palette: bad });
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).field).toBe("palette");
      expect((error as ValidationError).message).toContain(PALETTES.join(", "));
    }
  });
});

describe("parseTileSpec on arbitrary strings", () => {
  it("returns a valid TileSpec or throws a ValidationError naming a field, nothing else", () => {
    const part = fc.oneof(
      fc.string(),
      fc.stringMatching(/^[0-9a-z]{1,18}$/),
      fc.constantFrom("0", "1", "2", "7", "a", "z"),
    );
    const palette = fc.oneof(fc.string(), fc.constantFrom(...PALETTES));
    fc.assert(
      fc.property(
        part,
        part,
        part,
        fc.option(part, { nil: undefined }),
        fc.option(palette, { nil: undefined }),
        (z, x, y, scale, pal) => {
          try {
            const spec = parseTileSpec({ z, x, y, scale, palette: pal });
            expect(PALETTES).toContain(spec.palette);
            expect(spec.x < 1n << BigInt(spec.z) && spec.y < 1n << BigInt(spec.z) && spec.z <= MAX_ZOOM).toBe(true);
          } catch (error) {
            expect(error).toBeInstanceOf(ValidationError);
            expect(["z", "x", "y", "scale", "palette"]).toContain((error as ValidationError).field);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe("renderTilePng", () => {
  const specs: TileSpec[] = [
    { z: 4, x: 7n, y: 7n, scale: 1, palette: "classic" },
    { z: 2, x: 1n, y: 1n, scale: 2, palette: "magma" },
    { z: 0, x: 0n, y: 0n, scale: 1, palette: "grayscale" },
  ];

  for (const spec of specs) {
    it(`decodes to the intended pixels: ${spec.palette} z${spec.z}/${spec.x}/${spec.y} @${spec.scale}x`, () => {
      const decoded = decodeRgba(renderTilePng(spec));
      expect(decoded.width).toBe(TILE_SIZE * spec.scale);
      expect(decoded.height).toBe(TILE_SIZE * spec.scale);
      expect(Buffer.from(decoded.rgba).equals(Buffer.from(intendedRgba(spec)))).toBe(true);
    });
  }

  it("gives the same bytes every time", () => {
    const spec = specs[0];
    expect(sha256Hex(renderTilePng(spec))).toBe(sha256Hex(renderTilePng({ ...spec })));
  });

  it("meets the size target on the seahorse z4 tile in the default palette (≤ 18 KB)", () => {
    expect(renderTilePng({ z: 4, x: 7n, y: 7n, scale: 1, palette: DEFAULT_PALETTE }).length).toBeLessThanOrEqual(
      18 * 1024,
    );
  });

  it("colours per pixel: the z1 tile equals the matching quadrant of the z0 @2x tile (same pixels, other tile statistics)", () => {
    const quadrant = decodeRgba(renderTilePng({ z: 1, x: 0n, y: 0n, scale: 1, palette: "viridis" }));
    const whole = decodeRgba(renderTilePng({ z: 0, x: 0n, y: 0n, scale: 2, palette: "viridis" }));
    const topLeft = columns(whole.rgba.subarray(0, 512 * 256 * 4), 512, 0, 256);
    expect(Buffer.from(quadrant.rgba).equals(Buffer.from(topLeft))).toBe(true);
  });

  it("renders the deepest zoom's tiles with structure, not one flat colour", () => {
    // C = i at MAX_ZOOM: the tile whose top-left corner is i (a Misiurewicz point: structure at every scale).
    const z = MAX_ZOOM;
    const decoded = decodeRgba(
      renderTilePng({ z, x: 5n << BigInt(z - 3), y: 1n << BigInt(z - 2), scale: 1, palette: "classic" }),
    );
    expect(decoded.width).toBe(256);
    const colours = new Set<number>();
    for (let i = 0; i < decoded.rgba.length; i += 4)
      colours.add((decoded.rgba[i] << 16) | (decoded.rgba[i + 1] << 8) | decoded.rgba[i + 2]);
    expect(colours.size).toBeGreaterThan(10);
  });
});

/** Exact decimal of n / 2^bits. */
function dyadicDecimal(n: bigint, bits: number): string {
  const negative = n < 0n;
  const digits = ((negative ? -n : n) * 5n ** BigInt(bits)).toString().padStart(bits + 1, "0");
  return `${negative ? "-" : ""}${digits.slice(0, digits.length - bits)}.${digits.slice(digits.length - bits)}`;
}

/** A deep view over `across` tiles from `spec` rightwards, `rows` rows about their middle (centre as exact decimals). */
function deepViewOfTiles(spec: TileSpec, across: number, rows: number): ViewSpec {
  const size = 1n << BigInt(spec.z);
  // Centre · 2^(z+2): re = -2.5 + (x + across/2)·4/2^z, im = 2 − (y + 1/2)·4/2^z.
  const re = -10n * size + 16n * spec.x + 8n * BigInt(across);
  const im = 8n * size - 16n * spec.y - 8n;
  const width = 256 * spec.scale * across;
  return {
    centerRe: 0,
    centerIm: 0,
    pixelSize: 0,
    width,
    height: rows,
    palette: spec.palette,
    exact: {
      re: dyadicDecimal(re * 2n, spec.z + 3),
      im: dyadicDecimal(im * 2n, spec.z + 3),
      zoom: spec.z + Math.log2(spec.scale),
    },
  };
}

describe("deep tiles (perturbation from DEEP_FROM_ZOOM)", () => {
  // Misiurewicz point M24,1 at z200, moved so the right neighbour lies under another anchor.
  const location = DEEP_LOCATIONS.find((l) => l.name === "M24,1 at z200")!;
  const left: TileSpec = { ...location.tile, x: location.tile.x | 15n, scale: 1, palette: "classic" };
  const right: TileSpec = { ...left, x: left.x + 1n };

  it("takes over at DEEP_FROM_ZOOM, and only there", () => {
    expect(isDeepTile({ z: DEEP_FROM_ZOOM - 1 })).toBe(false);
    expect(isDeepTile({ z: DEEP_FROM_ZOOM })).toBe(true);
    expect(referenceKey({ ...left, z: 5, x: 1n, y: 1n }, RENDER_VERSION)).toBeUndefined();
    expect(referenceKey(left, RENDER_VERSION)).toMatch(
      new RegExp(
        `^refs/${RENDER_VERSION}/196-[0-9a-z]+-[0-9a-z]+/${iterationBudget(200)}\\.f${REFERENCE_FORMAT}\\.bin$`,
      ),
    );
    expect(referenceKey(left, RENDER_VERSION)).not.toBe(referenceKey(right, RENDER_VERSION));
  });

  it("gives the same bytes with a stored reference orbit, a missing one, or a corrupt one (recomputed, handed back)", () => {
    const fresh = renderTileWithReference(left);
    expect(fresh.newReference).toBeInstanceOf(Uint8Array);
    expect(sha256Hex(fresh.png)).toBe(sha256Hex(renderTilePng(left)));
    const reused = renderTileWithReference({ ...left, y: left.y ^ 1n }, fresh.newReference);
    expect(reused.newReference).toBeUndefined(); // same anchor: the stored orbit was used
    const corrupt = fresh.newReference!.slice();
    corrupt[corrupt.length - 20] ^= 0xff;
    const repaired = renderTileWithReference(left, corrupt);
    expect(repaired.newReference).toEqual(fresh.newReference);
    expect(sha256Hex(repaired.png)).toBe(sha256Hex(fresh.png));
    // Another anchor's orbit is not this tile's: recomputed too.
    expect(renderTileWithReference(right, fresh.newReference).newReference).toBeDefined();
    // The same verdicts without rendering, for a cache deciding what to share and what to replace.
    expect(isReferenceOf(left, fresh.newReference!)).toBe(true);
    expect(isReferenceOf({ ...left, palette: "magma", y: left.y ^ 1n }, fresh.newReference!)).toBe(true);
    expect(isReferenceOf(left, corrupt)).toBe(false);
    expect(isReferenceOf(right, fresh.newReference!)).toBe(false);
    expect(isReferenceOf({ ...left, z: 5, x: 1n, y: 1n }, fresh.newReference!)).toBe(false);
  });

  it("computes the same orbit bytes for every tile that shares a reference key, whichever a client asks for", () => {
    // The cache overwrites an entry it finds corrupt (functions/lib/tile-renderer.ts): safe only
    // because the key alone decides the bytes. C = i at z300 (cheap pixels): 1x tiles, another
    // palette, and the @2x tile one zoom up, whose pixels are the z300 tiles'.
    const z = 300;
    const corner: TileSpec = { z, x: 5n << BigInt(z - 3), y: 1n << BigInt(z - 2), scale: 1, palette: "classic" };
    const sharing: TileSpec[] = [
      corner,
      { ...corner, x: corner.x + 3n, y: corner.y + 5n, palette: "magma" },
      { ...corner, z: z - 1, x: corner.x >> 1n, y: corner.y >> 1n, scale: 2 },
    ];
    const key = referenceKey(corner, RENDER_VERSION);
    const orbits = sharing.map((spec) => {
      expect(referenceKey(spec, RENDER_VERSION)).toBe(key);
      return Buffer.from(renderTileWithReference(spec).newReference!);
    });
    for (const orbit of orbits.slice(1)) expect(orbit.equals(orbits[0])).toBe(true);
    // A tile under the next anchor has another key, and another orbit.
    const next: TileSpec = { ...corner, x: corner.x + 16n };
    expect(referenceKey(next, RENDER_VERSION)).not.toBe(key);
    expect(Buffer.from(renderTileWithReference(next).newReference!).equals(orbits[0])).toBe(false);
  });

  it("a refused tile hands back the orbit it computed (the bytes a finished render hands back), none it was given", async () => {
    // C = i at z300: cheap pixels, so the finished render here is quick; a limit of 1000 steps
    // refuses it (its estimate is about 2·10⁶: scripts/measure-loop-estimate.ts).
    const z = 300;
    const spec: TileSpec = { z, x: 5n << BigInt(z - 3), y: 1n << BigInt(z - 2), scale: 1, palette: "classic" };
    const limits = { maxLoopSteps: 1000 };
    const finished = renderTileWithReference(spec).newReference!;
    const refusal = (render: () => unknown) => {
      try {
        render();
      } catch (error) {
        return error;
      }
      throw new Error("the tile was not refused");
    };
    const refused = refusal(() => renderTileWithReference(spec, undefined, limits));
    expect(refused).toBeInstanceOf(LoopTooCostlyError);
    expect((refused as LoopTooCostlyError).estimatedSteps).toBeGreaterThan(limits.maxLoopSteps);
    expect(Buffer.from((refused as LoopTooCostlyError).newReference!)).toEqual(Buffer.from(finished));
    // With its orbit given, nothing was computed, so nothing comes back; a corrupt one is recomputed.
    const given = refusal(() => renderTileWithReference(spec, finished, limits)) as LoopTooCostlyError;
    expect(given.newReference).toBeUndefined();
    const corrupt = finished.slice();
    corrupt[corrupt.length - 20] ^= 0xff;
    const repaired = refusal(() => renderTileWithReference(spec, corrupt, limits)) as LoopTooCostlyError;
    expect(Buffer.from(repaired.newReference!)).toEqual(Buffer.from(finished));
    // The same through a GridCounter (the Lambda's worker threads).
    const counter: GridCounter = async (ref, grids, maxIter, opts) => countGrids(ref, grids, maxIter, opts);
    const viaCounter = await renderTileWithReferenceUsing(counter, spec, undefined, limits).catch((error) => error);
    expect(viaCounter).toBeInstanceOf(LoopTooCostlyError);
    expect(Buffer.from((viaCounter as LoopTooCostlyError).newReference!)).toEqual(Buffer.from(finished));
  });

  it("has no seam at depth: a view across two tiles (and two anchors) is the two tiles side by side", () => {
    // The middle 128 rows: the whole height would exceed a view's work limit at this budget.
    const view = new Uint8Array(renderViewRgba(deepViewOfTiles(left, 2, 128)).buffer);
    const middleRows = (rgba: Uint8Array) => rgba.subarray(64 * 256 * 4, 192 * 256 * 4);
    expect(
      Buffer.from(columns(view, 512, 0, 256)).equals(Buffer.from(middleRows(decodeRgba(renderTilePng(left)).rgba))),
    ).toBe(true);
    expect(
      Buffer.from(columns(view, 512, 256, 512)).equals(Buffer.from(middleRows(decodeRgba(renderTilePng(right)).rgba))),
    ).toBe(true);
  });

  it("rejects deep views with bad centres naming the field", () => {
    for (const [field, exact] of [
      ["re", { re: "1e", im: "0", zoom: 100 }],
      ["im", { re: "0", im: "9".repeat(VIEW_LIMITS.maxCoordinateChars + 1), zoom: 100 }],
      ["re", { re: "-9", im: "0", zoom: 100 }],
      ["zoom", { re: "0", im: "0", zoom: MAX_ZOOM + 1 }],
    ] as const) {
      let error: unknown;
      try {
        renderViewRgba({ centerRe: 0, centerIm: 0, pixelSize: 0, width: 4, height: 4, palette: "classic", exact });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).field).toBe(field);
    }
  });
});

describe("renderViewRgba", () => {
  it("gives exactly the tile's pixels for a view that matches a tile, at 1x and @2x", () => {
    for (const spec of [
      { z: 4, x: 11n, y: 7n, scale: 1, palette: "classic" },
      { z: 3, x: 2n, y: 3n, scale: 2, palette: "magma" },
    ] satisfies TileSpec[]) {
      const tile = decodeRgba(renderTilePng(spec)).rgba;
      const view = renderViewRgba(viewOfTile(spec));
      expect(view.length).toBe(tile.length);
      expect(Buffer.from(view.buffer, view.byteOffset, view.length).equals(Buffer.from(tile))).toBe(true);
    }
  });

  it("has no seam: a view over two neighbouring tiles is the two tiles side by side", () => {
    const left: TileSpec = { z: 5, x: 9n, y: 12n, scale: 1, palette: "classic" };
    const right: TileSpec = { ...left, x: 10n };
    const view = new Uint8Array(renderViewRgba(viewOfTile(left, 2)).buffer);
    expect(Buffer.from(columns(view, 512, 0, 256)).equals(Buffer.from(decodeRgba(renderTilePng(left)).rgba))).toBe(
      true,
    );
    expect(Buffer.from(columns(view, 512, 256, 512)).equals(Buffer.from(decodeRgba(renderTilePng(right)).rgba))).toBe(
      true,
    );
  });

  it("renders any size, row-major RGBA", () => {
    const rgba = renderViewRgba({
      centerRe: -0.5,
      centerIm: 0,
      pixelSize: 0.01,
      width: 7,
      height: 3,
      palette: "grayscale",
    });
    expect(rgba.length).toBe(7 * 3 * 4);
  });

  const base: ViewSpec = { centerRe: -0.5, centerIm: 0, pixelSize: 0.01, width: 10, height: 10, palette: "classic" };
  const bad: [string, Partial<Record<keyof ViewSpec, unknown>>][] = [
    ["centerRe", { centerRe: NaN }],
    ["centerRe", { centerRe: Infinity }],
    ["centerIm", { centerIm: 1e6 }],
    ["centerIm", { centerIm: "0" }],
    ["pixelSize", { pixelSize: 0 }],
    ["pixelSize", { pixelSize: -0.01 }],
    ["pixelSize", { pixelSize: VIEW_LIMITS.minPixelSize / 4 }],
    ["pixelSize", { pixelSize: 100 }],
    ["width", { width: 0 }],
    ["width", { width: 10.5 }],
    ["height", { height: VIEW_LIMITS.maxSide + 1 }],
    ["width", { width: 4096, height: 4096 }],
    ["maxIter", { maxIter: 0 }],
    ["maxIter", { maxIter: 1e9 }],
    ["maxIter", { width: 1536, height: 1536, maxIter: 10_000 }],
    ["palette", { palette: "nope" }],
  ];
  for (const [field, change] of bad) {
    it(`rejects ${JSON.stringify(change)} with a ValidationError on ${field}`, () => {
      let error: unknown;
      try {
        renderViewRgba({ ...base, ...change } as ViewSpec);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).field).toBe(field);
    });
  }
});
