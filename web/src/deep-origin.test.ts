import { describe, expect, it } from "vitest";
import { DEEP_LOCATIONS } from "../../packages/deep/locations";
import {
  COMFORT,
  LOCAL_BITS,
  WHOLE_GRID,
  decimalToGrid,
  fractileTile,
  gridToDecimal,
  gridToLocal,
  localToGrid,
  originFor,
  parseDecimal,
  reanchor,
  withBits,
} from "./deep-origin";
import { coordinateDecimals } from "./plane";

/** Leaflet's tile under a local position at Leaflet zoom L (lng, lat across the origin tile). */
function leafletTileAt(lng: number, lat: number, leafletZoom: number) {
  return { x: Math.floor(lng * 2 ** leafletZoom), y: Math.floor(-lat * 2 ** leafletZoom) };
}

describe("decimal strings ↔ exact grid points", () => {
  it("reads plain, signed and exponent decimals exactly", () => {
    expect(parseDecimal("-0.75")).toEqual({ m: -75n, d: 2 });
    expect(parseDecimal("1e3")).toEqual({ m: 1000n, d: 0 });
    expect(parseDecimal(".5")).toEqual({ m: 5n, d: 1 });
    expect(parseDecimal("2.5e-3")).toEqual({ m: 25n, d: 4 });
    for (const bad of ["", "-", ".", "1..2", "abc", "1e", "NaN", "Infinity"]) expect(parseDecimal(bad)).toBeUndefined();
  });

  it("puts the grid's corners and centre where the contract says", () => {
    expect(decimalToGrid("-2.5", "2", 4)).toEqual({ x: 0n, y: 0n, bits: 4 });
    expect(decimalToGrid("1.5", "-2", 4)).toEqual({ x: 16n, y: 16n, bits: 4 });
    expect(gridToDecimal({ x: 8n, y: 8n, bits: 4 }, 6)).toEqual({ re: "-0.5", im: "0" });
    expect(gridToDecimal({ x: 1n, y: 3n, bits: 3 }, 6)).toEqual({ re: "-2", im: "0.5" });
  });

  it("round-trips the deep test locations exactly, and rounds them to well under a pixel", () => {
    for (const location of DEEP_LOCATIONS) {
      const given = Math.max(location.re.length, location.im.length);
      const exact = decimalToGrid(location.re, location.im, Math.ceil(given * Math.log2(10)) + 8)!;
      expect(gridToDecimal(exact, given)).toEqual({ re: location.re, im: location.im });

      // At the digits a permalink at this zoom carries, the centre moves by less than 1/100 px.
      const point = decimalToGrid(location.re, location.im, location.zoom + LOCAL_BITS)!;
      const short = gridToDecimal(point, coordinateDecimals(location.zoom));
      expect(short.re.length).toBeLessThanOrEqual(coordinateDecimals(location.zoom) + 3);
      const hundredthPixel = location.zoom + 8 + 7;
      const a = decimalToGrid(location.re, location.im, hundredthPixel)!;
      const b = decimalToGrid(short.re, short.im, hundredthPixel)!;
      expect(a.x - b.x <= 1n && b.x - a.x <= 1n && a.y - b.y <= 1n && b.y - a.y <= 1n).toBe(true);
      // And the point lies in the tile the location generator computed on its own.
      const tile = withBits(point, location.zoom);
      expect({ x: tile.x, y: tile.y }).toEqual({ x: location.tile.x, y: location.tile.y });
    }
  });
});

describe("origin, Leaflet tiles and re-anchoring", () => {
  it("maps Leaflet's tiles to the server's tiles of the deep locations at their zoom", () => {
    for (const location of DEEP_LOCATIONS) {
      const centre = decimalToGrid(location.re, location.im, location.zoom + LOCAL_BITS)!;
      const origin = originFor(centre, location.zoom);
      const leafletZoom = location.zoom - origin.zoom;
      expect(leafletZoom).toBe(COMFORT.anchor);
      const local = gridToLocal(origin, centre);
      const at = leafletTileAt(local.lng, local.lat, leafletZoom);
      expect(fractileTile(origin, leafletZoom, at.x, at.y)).toEqual(location.tile);
    }
  });

  it("keeps the whole grid as origin for shallow views (the plain viewer up to z12)", () => {
    const centre = decimalToGrid("-0.75", "0.1", 20)!;
    expect(originFor(centre, 12)).toEqual(WHOLE_GRID);
    expect(reanchor(WHOLE_GRID, 3, centre)).toBeUndefined();
    expect(reanchor(WHOLE_GRID, COMFORT.max, centre)).toBeUndefined();
  });

  it("re-anchors when Leaflet leaves the band, without moving the centre by a fraction of a pixel", () => {
    for (const location of DEEP_LOCATIONS.filter((l) => l.zoom >= 1000)) {
      const zoom = location.zoom;
      const bits = zoom + LOCAL_BITS;
      const centre = decimalToGrid(location.re, location.im, bits)!;
      // Deep in, Leaflet has zoomed past the band's top, and further out past its bottom.
      for (const leafletZoom of [COMFORT.max + 0.5, COMFORT.min - 0.75]) {
        const origin = originFor(centre, zoom - leafletZoom);
        expect(origin.zoom).toBe(Math.max(0, Math.floor(zoom - leafletZoom) - COMFORT.anchor));
        const shown = origin.zoom + leafletZoom;
        const local = gridToLocal(origin, centre);
        const next = reanchor(origin, shown - origin.zoom, localToGrid(origin, local.lng, local.lat))!;
        expect(next).toBeDefined();
        expect(shown - next.zoom).toBeGreaterThanOrEqual(COMFORT.anchor);
        expect(shown - next.zoom).toBeLessThan(COMFORT.anchor + 1);
        // Same point after the shift: within 1/1000 px of the fractile zoom shown.
        const moved = localToGrid(next, ...(Object.values(gridToLocal(next, centre)) as [number, number]));
        const scale = BigInt(moved.bits - (Math.ceil(shown) + 8 + 10));
        expect((moved.x - withBits(centre, moved.bits).x) >> scale).toBeLessThanOrEqual(0n);
        expect((withBits(centre, moved.bits).x - moved.x) >> scale).toBeLessThanOrEqual(0n);
        expect((moved.y - withBits(centre, moved.bits).y) >> scale).toBeLessThanOrEqual(0n);
        expect((withBits(centre, moved.bits).y - moved.y) >> scale).toBeLessThanOrEqual(0n);
      }
    }
  });

  it("gives the same decimal centre before and after a re-anchor at z≈1000", () => {
    const location = DEEP_LOCATIONS.find((l) => l.zoom >= 1000 && l.zoom < 2000)!;
    const digits = coordinateDecimals(location.zoom);
    const centre = decimalToGrid(location.re, location.im, location.zoom + LOCAL_BITS)!;
    const before = originFor(centre, location.zoom - COMFORT.max - 1);
    const local = gridToLocal(before, centre);
    const seen = localToGrid(before, local.lng, local.lat);
    const after = reanchor(before, COMFORT.max + 1, seen)!;
    const again = gridToLocal(after, seen);
    const seenAfter = localToGrid(after, again.lng, again.lat);
    expect(gridToDecimal(seenAfter, digits)).toEqual(gridToDecimal(seen, digits));
    // The tile under the centre is the same server tile through both origins.
    const zoom = location.zoom;
    const tileBefore = leafletTileAt(local.lng, local.lat, zoom - before.zoom);
    const tileAfter = leafletTileAt(again.lng, again.lat, zoom - after.zoom);
    expect(fractileTile(after, zoom - after.zoom, tileAfter.x, tileAfter.y)).toEqual(
      fractileTile(before, zoom - before.zoom, tileBefore.x, tileBefore.y),
    );
  });
});
