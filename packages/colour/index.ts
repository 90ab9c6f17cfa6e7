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
export { CYCLE_OFFSET, SQRT_UNITS_PER_CYCLE, indicesToRgba, paletteIndex, paletteIndices } from "./mapping";
