/**
 * Named palettes. Each one becomes a 256-entry colour table: entries
 * 0..254 are the gradient, entry 255 the fixed interior colour. The gradient is
 * walked cyclically by `paletteIndex`, so it must wrap without a seam:
 * cyclic palettes are defined that way; monotone ramps (viridis, magma,
 * grayscale) are laid out there and back (mirrored), which keeps them seamless
 * and perceptually ordered on each half of the cycle.
 */

export type Rgb = readonly [number, number, number];

interface PaletteDefinition {
  /** Colour stops at positions in [0, 1]. */
  stops: readonly (readonly [number, Rgb])[];
  /** "cyclic": the last stop equals the first; "mirrored": a ramp walked there and back. */
  layout: "cyclic" | "mirrored";
  interior: Rgb;
}

const hex = (value: string): Rgb => [
  parseInt(value.slice(1, 3), 16),
  parseInt(value.slice(3, 5), 16),
  parseInt(value.slice(5, 7), 16),
];

/** Evenly spaced stops, e.g. matplotlib's published 11-step samples. */
const evenly = (colours: readonly string[]): (readonly [number, Rgb])[] =>
  colours.map((c, i) => [i / (colours.length - 1), hex(c)] as const);

const DEFINITIONS = {
  // The well-known "Ultra Fractal" default gradient: deep blue, white, orange, black.
  classic: {
    stops: [
      [0, [0, 7, 100]],
      [0.16, [32, 107, 203]],
      [0.42, [237, 255, 255]],
      [0.6425, [255, 170, 0]],
      [0.8575, [0, 2, 0]],
      [1, [0, 7, 100]],
    ],
    layout: "cyclic",
    interior: [0, 0, 0],
  },
  // matplotlib viridis and magma (perceptually uniform), 11 evenly spaced samples each.
  viridis: {
    stops: evenly([
      "#440154",
      "#482475",
      "#414487",
      "#355f8d",
      "#2a788e",
      "#21918c",
      "#22a884",
      "#44bf70",
      "#7ad151",
      "#bddf26",
      "#fde725",
    ]),
    layout: "mirrored",
    interior: [0, 0, 0],
  },
  magma: {
    stops: evenly([
      "#000004",
      "#140e36",
      "#3b0f70",
      "#641a80",
      "#8c2981",
      "#b73779",
      "#de4968",
      "#f7705c",
      "#fe9f6d",
      "#fecf92",
      "#fcfdbf",
    ]),
    layout: "mirrored",
    interior: [0, 0, 0],
  },
  grayscale: {
    stops: [
      [0, [24, 24, 24]],
      [1, [255, 255, 255]],
    ],
    layout: "mirrored",
    interior: [0, 0, 0],
  },
} as const satisfies Record<string, PaletteDefinition>;

/** A palette's name as it appears in URLs; only the members of PALETTES are valid. */
export type PaletteName = string;
export const PALETTES: readonly PaletteName[] = Object.keys(DEFINITIONS);
export const DEFAULT_PALETTE: PaletteName = "classic";

export function isPaletteName(name: unknown): name is PaletteName {
  return typeof name === "string" && Object.hasOwn(DEFINITIONS, name);
}

/** Table layout shared by every palette. */
export const GRADIENT_ENTRIES = 255;
export const INTERIOR_INDEX = 255;
export const PALETTE_ENTRIES = 256;

function sampleStops(stops: readonly (readonly [number, Rgb])[], position: number): Rgb {
  let i = 1;
  while (i < stops.length - 1 && stops[i][0] < position) i++;
  const [p0, c0] = stops[i - 1];
  const [p1, c1] = stops[i];
  const f = p1 === p0 ? 0 : Math.min(1, Math.max(0, (position - p0) / (p1 - p0)));
  return [0, 1, 2].map((k) => Math.round(c0[k] + (c1[k] - c0[k]) * f)) as unknown as Rgb;
}

export interface ColourTable {
  /** 256 × RGB, the PNG PLTE chunk's payload. */
  rgb: Uint8Array;
  /** 256 × RGBA packed as little-endian uint32 (R in the low byte), for RGBA output. */
  rgba32: Uint32Array;
}

function buildTable(definition: PaletteDefinition): ColourTable {
  const rgb = new Uint8Array(PALETTE_ENTRIES * 3);
  for (let i = 0; i < GRADIENT_ENTRIES; i++) {
    const u = i / GRADIENT_ENTRIES; // [0, 1): the cycle wraps back to entry 0
    const position = definition.layout === "cyclic" ? u : 1 - Math.abs(2 * u - 1);
    rgb.set(sampleStops(definition.stops, position), i * 3);
  }
  rgb.set(definition.interior, INTERIOR_INDEX * 3);
  const rgba32 = new Uint32Array(PALETTE_ENTRIES);
  for (let i = 0; i < PALETTE_ENTRIES; i++) {
    rgba32[i] = (rgb[i * 3] | (rgb[i * 3 + 1] << 8) | (rgb[i * 3 + 2] << 16) | (0xff << 24)) >>> 0;
  }
  return { rgb, rgba32 };
}

const TABLES = new Map<PaletteName, ColourTable>(
  Object.entries(DEFINITIONS).map(([name, definition]) => [name, buildTable(definition as PaletteDefinition)]),
);

export function colourTable(name: PaletteName): ColourTable {
  const table = TABLES.get(name);
  if (!table) throw new Error(`unknown palette ${String(name)}`); // callers validate names first
  return table;
}
