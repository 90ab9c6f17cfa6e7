import L from "leaflet";
import { AREA, PIXELS_PER_UNIT } from "./plane";

/**
 * CRS.Simple with lng = re and lat = im, shifted and scaled so that Leaflet's
 * tile (z, x, y) is exactly the server's tile (z, x, y):
 * px = 64·re + 160 = (re + 2.5)·64 and py = −64·im + 128 = (2 − im)·64 at zoom 0.
 */
export const complexPlaneCrs: L.CRS = L.Util.extend({}, L.CRS.Simple, {
  transformation: new L.Transformation(
    PIXELS_PER_UNIT,
    -AREA.reMin * PIXELS_PER_UNIT,
    -PIXELS_PER_UNIT,
    AREA.imMax * PIXELS_PER_UNIT,
  ),
});

/** The grid's whole area; tiles outside it do not exist. */
export const areaBounds = L.latLngBounds([AREA.imMin, AREA.reMin], [AREA.imMax, AREA.reMax]);

/** Where the set itself lies, with a margin: the default view fits this. */
export const setBounds = L.latLngBounds([-1.25, -2.1], [1.25, 0.6]);
