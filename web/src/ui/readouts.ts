import type L from "leaflet";
import { formatCoordinate, magnification, trimDecimal } from "../plane";

/** "−0.7436 + 0.1318i", with the digits the zoom needs. */
export function formatComplex(re: number, im: number, zoom: number): string {
  const sign = im < 0 ? "−" : "+";
  return `${formatCoordinate(re, zoom).replace("-", "−")} ${sign} ${formatCoordinate(Math.abs(im), zoom)}i`;
}

/** "×9.51", "×1.10e+12": three significant digits at any depth. */
export function formatMagnification(zoom: number): string {
  const m = magnification(zoom);
  return `×${m < 1e6 ? trimDecimal(m.toPrecision(3)) : m.toExponential(2)}`;
}

/** Keeps the zoom/magnification and pointer-coordinate outputs in step with the map. */
export function bindReadouts(map: L.Map, zoomOutput: HTMLOutputElement, pointerOutput: HTMLOutputElement): void {
  const showZoom = () => {
    const zoom = map.getZoom();
    zoomOutput.value = `${trimDecimal(zoom.toFixed(2))} (${formatMagnification(zoom)})`;
  };
  map.on("zoomend", showZoom);
  showZoom();

  pointerOutput.value = "—";
  map.on("mousemove", (event: L.LeafletMouseEvent) => {
    pointerOutput.value = formatComplex(event.latlng.lng, event.latlng.lat, map.getZoom());
  });
  map.on("mouseout", () => {
    pointerOutput.value = "—";
  });
}
