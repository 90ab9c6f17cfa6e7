import L from "leaflet";
import { apiUrl, apiErrorFrom } from "../api";
import { formatCoordinate } from "../plane";
import { fillTileUrl } from "../tile-url";

/** What GET /point answers (docs/api.md, "One point"). */
export interface PointAnswer {
  budget: number;
  escaped: boolean;
  count: number;
  period: number | null;
}

export function describePoint(answer: PointAnswer): string {
  if (answer.escaped) return `escapes after ${answer.count} iterations`;
  const inside = `inside (no escape in ${answer.budget} iterations)`;
  return answer.period === null ? inside : `${inside}, period ${answer.period}`;
}

/**
 * The panel's iteration budget (read from the X-Fractile-Iterations header of
 * the tile under the centre once the tiles have loaded, so it is a cache hit)
 * and the click inspector (GET /point for the clicked point at this zoom).
 */
export function bindInspection(
  map: L.Map,
  apiBase: string,
  tileTemplate: () => string,
  palette: () => string,
  tileLayerLoaded: (listener: () => void) => void,
  outputs: { budget: HTMLOutputElement; point: HTMLOutputElement },
): void {
  const showBudget = async () => {
    const z = Math.round(map.getZoom());
    const tile = map.project(map.getCenter(), z).divideBy(256).floor();
    const url = fillTileUrl(apiUrl(apiBase, tileTemplate()), { palette: palette(), z, x: BigInt(tile.x), y: BigInt(tile.y), retina: L.Browser.retina });
    try {
      const response = await fetch(url, { method: "HEAD" });
      const budget = response.headers.get("x-fractile-iterations");
      if (response.ok && budget) outputs.budget.value = Number(budget).toLocaleString("en");
    } catch {
      // The tiles' own error handling reports an unreachable server.
    }
  };
  tileLayerLoaded(() => void showBudget());

  map.on("click", async (event: L.LeafletMouseEvent) => {
    const zoom = map.getZoom();
    const re = formatCoordinate(event.latlng.lng, zoom);
    const im = formatCoordinate(event.latlng.lat, zoom);
    outputs.point.value = "…";
    try {
      const query = new URLSearchParams({ re, im, zoom: String(Math.max(0, zoom)) });
      const response = await fetch(apiUrl(apiBase, `/point?${query}`));
      if (!response.ok) throw await apiErrorFrom(response);
      outputs.point.value = `${re} ${im.startsWith("-") ? "−" : "+"} ${im.replace("-", "")}i: ${describePoint((await response.json()) as PointAnswer)}`;
    } catch (error) {
      outputs.point.value = `could not inspect (${error instanceof Error ? error.message : "network error"})`;
    }
  });
}
