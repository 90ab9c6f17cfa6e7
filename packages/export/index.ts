/** Poster exports as queued jobs: the pure core (design: docs/exports.md). */
export { EXPORT_LIMITS, FORMAT_LIMITS, LOSSY_QUALITY, formatSizeProblem, type ExportFormat } from "./limits";
export { parseExportSpec, type ExportSpec, type PosterSpec, type ZoomSpec } from "./spec";
export {
  bandParts,
  frameFileName,
  frameView,
  joinBand,
  partRect,
  partView,
  planParts,
  type PartPlan,
  type PartRect,
} from "./parts";
export { encodePngStream, type PngStreamOptions } from "./png-stream";
export { encodeJpegImage, encodeJpegStream, segmentRows, type JpegStreamOptions } from "./jpeg-stream";
export {
  EXPORTS_PREFIX,
  advance,
  isJobId,
  jobKeys,
  progressOf,
  statusView,
  type JobEvent,
  type JobRecord,
  type JobState,
  type JobStatusView,
  type PartMessage,
} from "./job";
export {
  copyPiece,
  pieceInParent,
  posterTileAlignment,
  tilePieces,
  type PosterOnTiles,
  type TileAlignment,
  type TileLayer,
  type TilePiece,
} from "./tile-grid";
