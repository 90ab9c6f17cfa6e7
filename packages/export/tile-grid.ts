/**
 * When a poster's pixels are cached tiles' pixels, and which tile pixels make up a part.
 * The rule, why it holds, and what it saves: docs/exports.md, "Reusing cached tiles".
 */
import { sameColouring } from "../colour/index";
import { parseDecimalRational } from "../deep/fixed";
import { MAX_ZOOM, TILE_SIZE, isDeepTile, iterationBudget, type TileScale } from "../render/index";
import type { PartRect } from "./parts";
import type { PosterSpec } from "./spec";

/** A tile layer whose pixels are the poster's: 1x tiles at the poster's zoom, or @2x tiles one zoom up. */
export interface TileLayer {
  z: number;
  scale: TileScale;
}

/**
 * The poster on the tile grid. Both layers have the poster's pixel size, so one origin serves
 * both: poster pixel (0, 0) is grid pixel (originX, originY), counted from the world's top-left
 * corner (WORLD_LEFT, WORLD_TOP) in pixels of that size.
 */
export interface PosterOnTiles {
  layers: TileLayer[];
  originX: bigint;
  originY: bigint;
}

export type TileAlignment = ({ aligned: true } & PosterOnTiles) | { aligned: false; reason: string };

/**
 * THE rule. A poster lines up with the tile grid when
 * 1. its zoom is a whole number from 0 to MAX_ZOOM (its pixel size is then a 1x tile's at that
 *    zoom, and an @2x tile's one zoom up; no other tile has it),
 * 2. its iteration budget is the tiles' (both come from budgetForPixelZoom of the same pixel
 *    zoom today; checked, so a budget rule that ever tells them apart turns reuse off, not wrong),
 * 3. its left and top edges fall on that grid's pixel edges, in exact arithmetic on the decimal
 *    centre (for an even width the centre is on a pixel edge, for an odd one on a pixel centre),
 * 4. it lies inside the world square that tiles cover.
 * The @2x layer (zoom − 1) counts only where its tiles render and colour exactly like the
 * poster's view: the same renderer (float64 or perturbation: not at DEEP_FROM_ZOOM, where the
 * @2x tile above is still float64) and the same colouring (sameColouring). Palette and render
 * version are not part of the rule: the caller reads the tiles of the poster's palette under its
 * own RENDER_VERSION, the version it would render the part with.
 */
export function posterTileAlignment(
  spec: Pick<PosterSpec, "re" | "im" | "zoom" | "width" | "height" | "maxIter">,
): TileAlignment {
  const { zoom, width, height } = spec;
  if (!Number.isInteger(zoom)) return { aligned: false, reason: "the zoom is not a whole number" };
  if (zoom < 0 || zoom > MAX_ZOOM) return { aligned: false, reason: `no tiles at zoom ${zoom}` };
  if (spec.maxIter !== iterationBudget(zoom, 1)) {
    return { aligned: false, reason: `the budget ${spec.maxIter} is not the tiles' ${iterationBudget(zoom, 1)}` };
  }
  // Pixel size 4 / 2^zoom / 256 = 2^-(zoom + 6). Edges in pixels from the world's corner:
  //   left = (re + 2.5)·2^(zoom+6) − width/2,  top = (2 − im)·2^(zoom+6) − height/2.
  // Doubled to stay in integers: 2·left = (2·re + 5)·2^(zoom+6) − width.
  const pixelsPerUnit = 1n << BigInt(zoom + 6);
  const re = parseDecimalRational(spec.re);
  const im = parseDecimalRational(spec.im);
  const left2 = (2n * re.num + 5n * re.den) * pixelsPerUnit - BigInt(width) * re.den;
  const top2 = (4n * im.den - 2n * im.num) * pixelsPerUnit - BigInt(height) * im.den;
  if (left2 % (2n * re.den) !== 0n || top2 % (2n * im.den) !== 0n) {
    return { aligned: false, reason: "the poster's edges are not on the tile grid's pixel edges" };
  }
  const originX = left2 / (2n * re.den);
  const originY = top2 / (2n * im.den);
  const worldPixels = BigInt(TILE_SIZE) << BigInt(zoom);
  if (originX < 0n || originY < 0n || originX + BigInt(width) > worldPixels || originY + BigInt(height) > worldPixels) {
    return { aligned: false, reason: "the poster reaches outside the tiles' world square" };
  }
  const layers: TileLayer[] = [{ z: zoom, scale: 1 }];
  const up = zoom - 1;
  if (
    up >= 0 &&
    iterationBudget(up, 2) === spec.maxIter &&
    isDeepTile({ z: up }) === isDeepTile({ z: zoom }) &&
    sameColouring(up, zoom)
  ) {
    layers.push({ z: up, scale: 2 });
  }
  return { aligned: true, layers, originX, originY };
}

/** Part of one tile inside a part: tile (x, y) of a layer, its pixels at (srcX, srcY) go to (dstX, dstY). */
export interface TilePiece {
  x: bigint;
  y: bigint;
  srcX: number;
  srcY: number;
  dstX: number;
  dstY: number;
  width: number;
  height: number;
}

/** The pieces of `layer`'s tiles that cover a part, row by row, left to right. */
export function tilePieces(poster: PosterOnTiles, layer: TileLayer, rect: PartRect): TilePiece[] {
  const side = TILE_SIZE * layer.scale;
  const bigSide = BigInt(side);
  const pieces: TilePiece[] = [];
  const left = poster.originX + BigInt(rect.x0);
  const top = poster.originY + BigInt(rect.y0);
  for (let dstY = 0; dstY < rect.height; ) {
    const gy = top + BigInt(dstY);
    const srcY = Number(gy % bigSide);
    const height = Math.min(side - srcY, rect.height - dstY);
    for (let dstX = 0; dstX < rect.width; ) {
      const gx = left + BigInt(dstX);
      const srcX = Number(gx % bigSide);
      const width = Math.min(side - srcX, rect.width - dstX);
      pieces.push({ x: gx / bigSide, y: gy / bigSide, srcX, srcY, dstX, dstY, width, height });
      dstX += width;
    }
    dstY += height;
  }
  return pieces;
}

/**
 * The same grid pixels in the @2x tile one zoom up (the poster's second layer): tile (x/2, y/2),
 * shifted by the quadrant the 1x tile is of it.
 */
export function pieceInParent(p: TilePiece): TilePiece {
  return {
    ...p,
    x: p.x >> 1n,
    y: p.y >> 1n,
    srcX: p.srcX + Number(p.x & 1n) * TILE_SIZE,
    srcY: p.srcY + Number(p.y & 1n) * TILE_SIZE,
  };
}

/** Copies a piece of a tile's indices (tileSide × tileSide, row-major) into a part's (rect.width wide). */
export function copyPiece(part: Uint8Array, partWidth: number, tile: Uint8Array, tileSide: number, p: TilePiece): void {
  for (let row = 0; row < p.height; row++) {
    const from = (p.srcY + row) * tileSide + p.srcX;
    part.set(tile.subarray(from, from + p.width), (p.dstY + row) * partWidth + p.dstX);
  }
}
