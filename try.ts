import { inspectFixed, precisionBitsForZoom } from "./packages/deep/point";
import { DEEP_LOCATIONS } from "./packages/deep/locations";
import { parseDecimal } from "./packages/deep/fixed";
const l = DEEP_LOCATIONS.find(l => l.zoom === 2003)!;
const bits = precisionBitsForZoom(l.zoom);
console.log(inspectFixed(parseDecimal(l.re, bits), parseDecimal(l.im, bits), bits, 50000));
