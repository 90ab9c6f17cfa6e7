import L from "leaflet";
import { apiUrl, apiErrorFrom } from "../api";
import type { DeepMap } from "../deep-map";
import { withBits } from "../deep-origin";
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
  deep: DeepMap,
  apiBase: string,
  tileTemplate: () => string,
  palette: () => string,
  tileLayerLoaded: (listener: () => void) => void,
  outputs: { budget: HTMLOutputElement; point: HTMLOutputElement },
): void {
  const map = deep.map;
  const showBudget = async () => {
    const z = Math.max(0, Math.round(deep.zoom()));
    const tile = withBits(deep.centre(), z);
    const parts = { palette: palette(), z, x: tile.x, y: tile.y, retina: L.Browser.retina };
    const url = fillTileUrl(apiUrl(apiBase, tileTemplate()), parts);
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
    const zoom = deep.zoom();
    const { re, im } = deep.decimalAt(event.latlng);
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
