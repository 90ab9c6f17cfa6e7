/**
 * Replayable rehearsal traffic: the same seed gives the same requests at the
 * same moments of every minute. Tiles are requested by simulated viewers, each
 * holding the render version of the last `/meta` it read (as the viewer does),
 * so a render-version release shows whether tiles of both versions stay
 * available while the alias is split.
 */
import { DEFAULT_PALETTE, WORLD_LEFT, WORLD_SIZE, WORLD_TOP, encodeTileIndex } from "../../packages/render/index";

export type RequestKind = "cached" | "shallow" | "deep" | "meta" | "image";
export const REQUEST_KINDS: readonly RequestKind[] = ["cached", "shallow", "deep", "meta", "image"];

/** Share of each kind in the traffic; normalised, so only ratios matter. */
export type TrafficMix = Record<RequestKind, number>;

/**
 * Mostly tiles already in the cache (what reaches the function behind a CDN is
 * misses and first views, but the shared cache holds most of them), some new
 * shallow and deep tiles, and a little /meta and image traffic.
 */
export const DEFAULT_MIX: TrafficMix = { cached: 50, shallow: 20, deep: 10, meta: 10, image: 10 };

export interface TrafficOptions {
  /** Requests per (compressed) minute, all functions together. */
  perMinute: number;
  seed: number;
  mix?: TrafficMix;
  /** How many viewers share the traffic (each remembers one render version). */
  viewers?: number;
}

export interface PlannedRequest {
  /** When in the minute, 0 ≤ at < 1. */
  at: number;
  kind: RequestKind;
  viewer: number;
  /** The path to request, given the viewer's render version. */
  path(renderVersion: string): string;
}

/** mulberry32: tiny, fast, good enough to draw traffic from; deterministic for a seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Points on the set's boundary, where deep tiles do real work without being all-interior. */
const BOUNDARY_POINTS: readonly [number, number][] = [
  [-0.743643887, 0.131825904],
  [-0.7453, 0.1127],
  [-1.25066, 0.02012],
  [-0.1011, 0.9563],
  [0.2925, 0.0149],
];

function tileAt(re: number, im: number, z: number): { x: number; y: number } {
  const side = 2 ** z;
  const clamp = (v: number) => Math.min(side - 1, Math.max(0, Math.floor(v)));
  return { x: clamp(((re - WORLD_LEFT) / WORLD_SIZE) * side), y: clamp(((WORLD_TOP - im) / WORLD_SIZE) * side) };
}

const tilePath = (renderVersion: string, z: number, x: number, y: number) =>
  `/tiles/${renderVersion}/${DEFAULT_PALETTE}/${z}/${encodeTileIndex(BigInt(x))}/${encodeTileIndex(BigInt(y))}.png`;

/** The tiles the rehearsal puts in the shared cache before it starts (rendered by the baseline). */
export function cachedTiles(seed: number, count = 24): { z: number; x: number; y: number }[] {
  const random = seededRandom(seed ^ 0x5eed);
  return Array.from({ length: count }, () => {
    const z = 2 + Math.floor(random() * 4);
    const side = 2 ** z;
    return { z, x: Math.floor(random() * side), y: Math.floor(random() * side) };
  });
}

export function cachedTilePath(renderVersion: string, tile: { z: number; x: number; y: number }): string {
  return tilePath(renderVersion, tile.z, tile.x, tile.y);
}

/** The requests of one minute (1-based), sorted by time. */
export function planMinute(options: TrafficOptions, minute: number): PlannedRequest[] {
  const random = seededRandom((options.seed * 1_000_003 + minute) >>> 0);
  const mix = options.mix ?? DEFAULT_MIX;
  const total = REQUEST_KINDS.reduce((sum, k) => sum + mix[k], 0);
  const viewers = options.viewers ?? 16;
  const cached = cachedTiles(options.seed);
  const pickKind = (): RequestKind => {
    let r = random() * total;
    for (const kind of REQUEST_KINDS) {
      r -= mix[kind];
      if (r < 0) return kind;
    }
    return "cached";
  };

  const planned: PlannedRequest[] = [];
  for (let i = 0; i < options.perMinute; i++) {
    const at = random();
    const kind = pickKind();
    const viewer = Math.floor(random() * viewers);
    let path: PlannedRequest["path"];
    if (kind === "cached") {
      const tile = cached[Math.floor(random() * cached.length)];
      path = (rv) => cachedTilePath(rv, tile);
    } else if (kind === "shallow") {
      const z = 6 + Math.floor(random() * 4);
      const side = 2 ** z;
      const [x, y] = [Math.floor(random() * side), Math.floor(random() * side)];
      path = (rv) => tilePath(rv, z, x, y);
    } else if (kind === "deep") {
      const [re, im] = BOUNDARY_POINTS[Math.floor(random() * BOUNDARY_POINTS.length)];
      const z = 14 + Math.floor(random() * 5);
      const { x, y } = tileAt(re, im, z);
      const [dx, dy] = [Math.floor(random() * 5) - 2, Math.floor(random() * 5) - 2];
      path = (rv) => tilePath(rv, z, Math.max(0, x + dx), Math.max(0, y + dy));
    } else if (kind === "meta") {
      path = () => "/meta";
    } else {
      const [re, im] = BOUNDARY_POINTS[Math.floor(random() * BOUNDARY_POINTS.length)];
      const zoom = (1 + random() * 9).toFixed(2);
      path = () => `/render.png?re=${re}&im=${im}&zoom=${zoom}&width=64&height=48`;
    }
    planned.push({ at, kind, viewer, path });
  }
  return planned.sort((a, b) => a.at - b.at);
}
