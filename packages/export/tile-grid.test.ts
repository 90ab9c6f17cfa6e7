import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeIndexedPng } from "../png/index";
import { DEFAULT_PALETTE, TILE_SIZE, renderTilePng, renderViewIndices, type TileSpec } from "../render/index";
import { parseExportSpec, type PosterSpec } from "./spec";
import { partView, type PartRect } from "./parts";
import { copyPiece, pieceInParent, posterTileAlignment, tilePieces, type PosterOnTiles } from "./tile-grid";

/** n / 2^k as exact decimal text (every dyadic fraction is a finite decimal: n·5^k / 10^k). */
function dyadic(n: bigint, k: number): string {
  const negative = n < 0n;
  const digits = ((negative ? -n : n) * 5n ** BigInt(k)).toString().padStart(k + 1, "0");
  const whole = digits.slice(0, digits.length - k);
  const fraction = digits.slice(digits.length - k).replace(/0+$/, "");
  return `${negative ? "-" : ""}${whole}${fraction ? `.${fraction}` : ""}`;
}

/**
 * The poster whose top-left pixel is grid pixel (originX, originY) at `zoom`: centre
 * re = −2.5 + (originX + width/2)·2^-(zoom+6), im = 2 − (originY + height/2)·2^-(zoom+6), exactly.
 */
function posterAt(zoom: number, originX: bigint, originY: bigint, width: number, height: number): PosterSpec {
  const k = zoom + 7; // half-pixel units
  const re = dyadic(-5n * (1n << BigInt(k - 1)) + 2n * originX + BigInt(width), k);
  const im = dyadic((1n << BigInt(k + 1)) - 2n * originY - BigInt(height), k);
  return parseExportSpec({ re, im, zoom, width, height, palette: DEFAULT_PALETTE }) as PosterSpec;
}

/** A part's pixels put together from tiles rendered as the tile handler renders them (PNG, decoded). */
function partFromTiles(spec: PosterSpec, poster: PosterOnTiles, rect: PartRect, useParent: boolean): Uint8Array {
  const out = new Uint8Array(rect.width * rect.height);
  const layer = useParent ? poster.layers[1] : poster.layers[0];
  for (const piece1x of tilePieces(poster, poster.layers[0], rect)) {
    const piece = useParent ? pieceInParent(piece1x) : piece1x;
    const tile: TileSpec = { z: layer.z, x: piece.x, y: piece.y, scale: layer.scale, palette: spec.palette };
    const { indices, width } = decodeIndexedPng(renderTilePng(tile));
    copyPiece(out, rect.width, indices, width, piece);
  }
  return out;
}

const wholePoster = (spec: PosterSpec): PartRect => ({
  index: 0,
  x0: 0,
  y0: 0,
  width: spec.width,
  height: spec.height,
});

describe("posterTileAlignment: when a poster is made of tiles", () => {
  it("finds the origin of a poster built on the grid, both layers where they agree", () => {
    const spec = posterAt(10, 1000n, 70_000n, 400, 301);
    const found = posterTileAlignment(spec);
    expect(found).toEqual({
      aligned: true,
      originX: 1000n,
      originY: 70_000n,
      layers: [
        { z: 10, scale: 1 },
        { z: 9, scale: 2 },
      ],
    });
  });

  it("accepts the viewer's round numbers where they fall on pixel edges", () => {
    // −0.75 + 0.125i at zoom 10: pixels of 2^-16, 4096 wide → left edge −0.78125, on the grid.
    const spec = parseExportSpec({ re: "-0.75", im: "0.125", zoom: 10, width: 4096, height: 4096 }) as PosterSpec;
    expect(posterTileAlignment(spec)).toMatchObject({ aligned: true, originX: 114_688n - 2048n });
  });

  it("refuses fractional zooms, edges off the pixel grid, other budgets and posters leaving the world", () => {
    const base = posterAt(12, 5000n, 6000n, 200, 100);
    const reasons = (spec: Partial<PosterSpec>) => {
      const found = posterTileAlignment({ ...base, ...spec });
      return found.aligned ? "aligned" : found.reason;
    };
    expect(reasons({})).toBe("aligned");
    expect(reasons({ zoom: 12.5 })).toMatch(/not a whole number/);
    expect(reasons({ width: 201 })).toMatch(/pixel edges/); // centre on an edge, odd width: edges mid-pixel
    expect(reasons({ re: `${base.re}1` })).toMatch(/pixel edges/);
    expect(reasons({ im: dyadic(BigInt(Math.round(Number(base.im) * 2 ** 20)) * 2n + 1n, 21) })).toMatch(/pixel edges/);
    expect(reasons({ maxIter: base.maxIter + 1 })).toMatch(/budget/);
    expect(reasons({ zoom: -1 })).toMatch(/no tiles/);
    expect(posterTileAlignment(posterAt(3, 0n, 0n, 2048, 2048)).aligned).toBe(true); // the whole world at z3
    expect(posterTileAlignment(posterAt(3, 2n, 0n, 2048, 2048))).toMatchObject({ reason: /outside/ });
    expect(posterTileAlignment(posterAt(3, -2n, 4n, 100, 100))).toMatchObject({ reason: /outside/ });
  });

  it("offers the @2x layer only where its tiles render and colour like the poster", () => {
    const layers = (zoom: number) => {
      const middle = (BigInt(TILE_SIZE) << BigInt(zoom)) / 2n;
      const found = posterTileAlignment(posterAt(zoom, middle - 32n, middle - 32n, 64, 64));
      return found.aligned ? found.layers.map((l) => `${l.z}${l.scale === 2 ? "@2x" : ""}`) : found.reason;
    };
    expect(layers(0)).toEqual(["0"]); // no zoom −1
    expect(layers(32)).toEqual(["32", "31@2x"]);
    expect(layers(33)).toEqual(["33"]); // the @2x tile above is float64, the poster perturbation
    expect(layers(34)).toEqual(["34", "33@2x"]);
    expect(layers(200)).toEqual(["200", "199@2x"]);
    expect(layers(201)).toEqual(["201"]); // deep colour cycles differ from zoom 200 to 201
  });
});

describe("tilePieces", () => {
  it("covers every pixel of a part exactly once, each from the tile that holds it", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 1n << 40n }),
        fc.bigInt({ min: 0n, max: 1n << 40n }),
        fc.integer({ min: 1, max: 1200 }),
        fc.integer({ min: 1, max: 700 }),
        fc.constantFrom(1, 2),
        (originX, originY, width, height, scale) => {
          const poster: PosterOnTiles = { originX, originY, layers: [{ z: 40, scale: scale as 1 | 2 }] };
          const rect: PartRect = { index: 0, x0: 13, y0: 7, width, height };
          const seen = new Uint8Array(width * height);
          const side = BigInt(TILE_SIZE * scale);
          for (const p of tilePieces(poster, poster.layers[0], rect)) {
            expect(p.x * side + BigInt(p.srcX)).toBe(originX + 13n + BigInt(p.dstX));
            expect(p.y * side + BigInt(p.srcY)).toBe(originY + 7n + BigInt(p.dstY));
            expect(p.srcX + p.width).toBeLessThanOrEqual(Number(side));
            expect(p.srcY + p.height).toBeLessThanOrEqual(Number(side));
            for (let y = p.dstY; y < p.dstY + p.height; y++)
              for (let x = p.dstX; x < p.dstX + p.width; x++) seen[y * width + x]++;
          }
          expect(seen.every((n) => n === 1)).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe("an aligned poster's pixels are its tiles' pixels", () => {
  // The claim reuse rests on: the part renderer (renderViewIndices of the part's view) and the
  // tile renderer (renderTilePng, decoded) give the same indices wherever the rule says aligned.
  it("float64 zooms, 1x and @2x tiles, any part of the poster", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 30 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 1, max: 260 }),
        fc.integer({ min: 1, max: 200 }),
        fc.boolean(),
        (zoom, fx, fy, width, height, useParent) => {
          // Near the set's boundary, where counts vary from pixel to pixel: around −0.75 + 0.1i.
          const scaleToGrid = (v: number) => BigInt(Math.floor(v * 2 ** (zoom + 6)));
          const spread = BigInt(Math.min(2 ** (zoom + 6) / 8, 4096));
          const originX = scaleToGrid(1.75) + BigInt(Math.floor(fx * Number(spread)));
          const originY = scaleToGrid(1.9) + BigInt(Math.floor(fy * Number(spread)));
          const spec = posterAt(zoom, originX, originY, width, height);
          const found = posterTileAlignment(spec);
          expect(found.aligned).toBe(true);
          if (!found.aligned) return;
          const x0 = Math.floor(width / 3);
          const y0 = Math.floor(height / 4);
          const rect: PartRect = { index: 0, x0, y0, width: width - x0, height: height - y0 };
          expect(partFromTiles(spec, found, rect, useParent)).toEqual(renderViewIndices(partView(spec, rect)));
        },
      ),
      { numRuns: 12 },
    );
  });

  it("perturbation zooms: across four anchors around C = i, 1x and @2x", () => {
    const zoom = 36;
    const half = 1n << BigInt(zoom + 6); // C = i is grid pixel (2.5·2^(z+6), 2^(z+6))
    const spec = posterAt(zoom, 5n * (half >> 1n) - 40n, half - 24n, 80, 48);
    expect(spec.re).toBe("0");
    expect(spec.im).toBe("1");
    const found = posterTileAlignment(spec);
    if (!found.aligned) throw new Error(found.reason);
    expect(found.layers).toHaveLength(2);
    const view = renderViewIndices(partView(spec, wholePoster(spec)));
    expect(new Set(view).size).toBeGreaterThan(4); // structure, not one flat colour
    expect(partFromTiles(spec, found, wholePoster(spec), false)).toEqual(view);
    expect(partFromTiles(spec, found, wholePoster(spec), true)).toEqual(view);
  });
});
