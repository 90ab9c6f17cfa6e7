// How deep the viewer goes. The server serves tiles to /meta's maxZoom (2400),
// but this viewer keeps Leaflet's own coordinates and the URL's centre in
// float64, which place a pixel to about 1/8 px down to z44 (a pixel at z44 is
// 2^-50 wide, one double near |re| < 1 is 2^-53). Deeper needs a
// high-precision origin with Leaflet re-anchored (docs/architecture.md, viewer).

export const FLOAT_VIEWER_MAX_ZOOM = 44;

export function viewerMaxZoom(serverMaxZoom: number): number {
  return Math.min(serverMaxZoom, FLOAT_VIEWER_MAX_ZOOM);
}
