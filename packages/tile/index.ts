export { ValidationError } from "./errors";
export {
  FLOAT64_GRID_MAX_ZOOM,
  MAX_ZOOM,
  TILE_SIZE,
  TILE_SCALES,
  WORLD_LEFT,
  WORLD_SIZE,
  WORLD_TOP,
  tileBounds,
  tilePixels,
  tileSide,
  type TileBounds,
  type TileScale,
} from "./grid";
export { parseScale, parseTileAddress, parseZoom, type RawTileAddress, type TileAddress } from "./parse";
export { MAX_BUDGET, MIN_BUDGET, budgetForPixelZoom, iterationBudget } from "./budget";
export { pixelSizeOfZoom, zoomOfPixelSize } from "./pixel-zoom";
export { COORDINATE_ENCODING, decodeBase36, encodeTileIndex, maxIndexDigits } from "./coordinates";
