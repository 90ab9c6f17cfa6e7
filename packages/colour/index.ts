export {
  DEFAULT_PALETTE,
  GRADIENT_ENTRIES,
  INTERIOR_INDEX,
  PALETTES,
  PALETTE_ENTRIES,
  colourTable,
  isPaletteName,
  type ColourTable,
  type PaletteName,
  type Rgb,
} from "./palettes";
export {
  CYCLE_OFFSET,
  DEEP_CYCLES_GROWTH_FROM_ZOOM,
  DEEP_CYCLES_PER_OCTAVE,
  deepCyclesPerOctave,
  SHALLOW_COLOUR_MAX_ZOOM,
  SQRT_UNITS_PER_CYCLE,
  indicesToRgba,
  paletteIndex,
  paletteIndices,
  sameColouring,
} from "./mapping";
