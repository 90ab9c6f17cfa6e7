/**
 * Deep zoom render core: perturbation against a BigInt reference orbit per anchor, with rebasing,
 * bilinear approximation and extended range. Pure and deterministic. Design: ./README.md.
 */
export {
  ANCHOR_LEVELS,
  DEEP_FROM_ZOOM,
  DEEP_MAX_ZOOM,
  anchorCentre,
  anchorId,
  anchorOf,
  type Anchor,
  type DeepTileInput,
} from "./geometry";
export { REFERENCE_FORMAT, decodeReference, encodeReference, type ReferenceOrbit } from "./reference";
export { computeReference } from "./select";
export { BLA_JUMP_COST_IN_STEPS } from "./bla-choice";
export { BLA_EPSILON } from "./wasm";
export type { PixelGrid } from "./geometry";
export type { PixelCounts } from "./perturb";
export {
  BAND_ROWS,
  ESTIMATE_MARGIN,
  LoopTooCostlyError,
  MAX_VIEW_SIDE,
  countGrids,
  renderDeepTile,
  renderDeepTileWith,
  type GridCounter,
  type LoopOptions,
  renderDeepView,
  type DeepOptions,
  type DeepResult,
  type DeepStats,
  type DeepViewInput,
} from "./render";
export * from "./fixed";
export { PERIOD_WORK_FACTOR, inspectFixed, inspectPoint, precisionBitsForZoom, type PointInspection } from "./point";
export { DEEP_LOCATIONS, type DeepLocation } from "./locations";
