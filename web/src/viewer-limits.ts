// How deep the viewer goes: as deep as the server renders. Leaflet itself
// works in float64, so the viewer keeps an exact origin and re-anchors
// Leaflet's zoom (deep-origin.ts, deep-map.ts); nothing caps it below /meta.

export function viewerMaxZoom(serverMaxZoom: number): number {
  return serverMaxZoom;
}
