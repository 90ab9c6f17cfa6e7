import { createHash } from "node:crypto";
import {
  CYCLE_OFFSET,
  DEEP_CYCLES_GROWTH_FROM_ZOOM,
  DEEP_CYCLES_PER_OCTAVE,
  GRADIENT_ENTRIES,
  PALETTES,
  SHALLOW_COLOUR_MAX_ZOOM,
  SQRT_UNITS_PER_CYCLE,
  colourTable,
} from "../colour/index";
import { BLA_EPSILON, BLA_JUMP_COST_IN_STEPS } from "../deep/index";
import { PNG_ENCODER_ID } from "../png/index";
import { COORDINATE_ENCODING, MAX_ZOOM, TILE_SCALES, TILE_SIZE, iterationBudget } from "../tile/index";

/**
 * Bump by hand whenever a pixel or byte of any tile may change through code
 * (kernel arithmetic, colour mapping, filters, PNG layout). The golden test
 * (golden.test.ts) fails until you do: see `npm run golden`.
 */
export const RENDER_REVISION = 2;

/**
 * Everything *configured* in the render core that shapes a tile: palette
 * tables, the colour mapping constants, the budget of every zoom, the grid and
 * the encoder and the spelling of tile coordinates in URLs. Changing any of them changes the fingerprint and so the render
 * version by itself, without anyone remembering to bump the revision. Code
 * changes (the kernel's counts or smooth values included) are caught by the
 * golden hashes instead, which fail until RENDER_REVISION is bumped.
 */
function renderFingerprint(): string {
  const ingredients = {
    tileSize: TILE_SIZE,
    maxZoom: MAX_ZOOM,
    // Part of every URL: another spelling of x and y is another set of URLs.
    coordinateEncoding: COORDINATE_ENCODING,
    budgets: TILE_SCALES.map((scale) => Array.from({ length: MAX_ZOOM + 1 }, (_, z) => iterationBudget(z, scale))),
    palettes: PALETTES.map((name) => [name, Buffer.from(colourTable(name).rgb).toString("hex")]),
    mapping: {
      gradientEntries: GRADIENT_ENTRIES,
      sqrtUnitsPerCycle: SQRT_UNITS_PER_CYCLE,
      cycleOffset: CYCLE_OFFSET,
      shallowColourMaxZoom: SHALLOW_COLOUR_MAX_ZOOM,
      deepCyclesPerOctave: DEEP_CYCLES_PER_OCTAVE,
      deepCyclesGrowthFromZoom: DEEP_CYCLES_GROWTH_FROM_ZOOM,
    },
    encoder: PNG_ENCODER_ID,
    // Deep tiles' approximation: BLA's radius, and what decides where BLA is used at all.
    deep: { blaEpsilon: BLA_EPSILON, blaJumpCostInSteps: BLA_JUMP_COST_IN_STEPS },
  };
  return createHash("sha256").update(JSON.stringify(ingredients)).digest("hex").slice(0, 8);
}

/** Goes into every cache key and tile URL, e.g. "r1-5c0e9a1b". */
export const RENDER_VERSION = `r${RENDER_REVISION}-${renderFingerprint()}`;
