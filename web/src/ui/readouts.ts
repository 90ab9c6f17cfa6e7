import type L from "leaflet";
import type { DeepMap } from "../deep-map";
import { formatCoordinate, magnification, trimDecimal } from "../plane";
import type { ExactCentre } from "../view-state";

/** "−0.7436 + 0.1318i", with the digits the zoom needs. */
export function formatComplex(re: number, im: number, zoom: number): string {
  return formatExactComplex({ re: formatCoordinate(re, zoom), im: formatCoordinate(im, zoom) });
}

/** "−0.7436 + 0.1318i" from decimal strings of any length. */
export function formatExactComplex(point: ExactCentre): string {
  const negative = point.im.startsWith("-");
  return `${point.re.replace("-", "−")} ${negative ? "−" : "+"} ${point.im.replace("-", "")}i`;
}

/** "×9.51", "×1.10e+12", "×10^301.0": three significant digits at any depth. */
export function formatMagnification(zoom: number): string {
  const m = magnification(zoom);
  if (!Number.isFinite(m)) return `×10^${(zoom * Math.LOG10E * Math.LN2).toFixed(1)}`;
  return `×${m < 1e6 ? trimDecimal(m.toPrecision(3)) : m.toExponential(2)}`;
}

/** Keeps the zoom/magnification and pointer-coordinate outputs in step with the map. */
export function bindReadouts(deep: DeepMap, zoomOutput: HTMLOutputElement, pointerOutput: HTMLOutputElement): void {
  const map = deep.map;
  const showZoom = () => {
    const zoom = deep.zoom();
    zoomOutput.value = `${trimDecimal(zoom.toFixed(2))} (${formatMagnification(zoom)})`;
  };
  map.on("zoomend zoomlevelschange", showZoom);
  showZoom();

  pointerOutput.value = "—";
  map.on("mousemove", (event: L.LeafletMouseEvent) => {
    pointerOutput.value = formatExactComplex(deep.decimalAt(event.latlng));
  });
  map.on("mouseout", () => {
    pointerOutput.value = "—";
  });
}
