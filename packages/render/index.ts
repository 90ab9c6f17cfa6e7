/**
 * The render core's facade: every adapter (Lambda handlers, local server,
 * pre-traffic hook, scripts) imports from here and nowhere deeper.
 * Contract: docs/architecture.md.
 */
export { RENDER_VERSION } from "./version";
export {
  TILE_SIZE,
  TILE_SCALES,
  MAX_ZOOM,
  WORLD_LEFT,
  WORLD_TOP,
  WORLD_SIZE,
  ValidationError,
  iterationBudget,
  type TileScale,
} from "../tile/index";
export { budgetForPixelZoom, pixelSizeOfZoom, zoomOfPixelSize } from "../tile/index";
export { COORDINATE_ENCODING, decodeBase36, encodeTileIndex } from "../tile/index";
export { PALETTES, DEFAULT_PALETTE, type PaletteName } from "../colour/index";
export { parseTileSpec, type TileSpec } from "./spec";
export {
  renderTilePng,
  renderTileWithReference,
  renderTileWithReferenceUsing,
  tileIterationBudget,
  type RenderLimits,
  type RenderedTile,
} from "./tile";
export {
  LoopTooCostlyError,
  countGrids,
  type GridCounter,
  type LoopOptions,
  type PixelCounts,
  type PixelGrid,
  type ReferenceOrbit,
} from "../deep/index";
export { isDeepTile, isReferenceOf, referenceKey } from "./deep-tile";
export { DEEP_FROM_ZOOM, inspectPoint, type PointInspection } from "../deep/index";
export { renderViewRgba, renderViewIndices, validateView, IMAGE_LIMITS, VIEW_LIMITS, type ViewSpec } from "./view";
export { warmUp } from "./warm";
export { GOLDEN_TILES, pinnedGoldenSha256, tileLabel, type GoldenFile } from "./golden";
export { computeGoldenHashes } from "./golden-hashes";
export { sha256Hex } from "./hash";
