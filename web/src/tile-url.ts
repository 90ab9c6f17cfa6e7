// Filling /meta's tileUrlTemplate. Tile indices are BigInt (deep tiles have
// indices far beyond 2^53) and spelled in base 36, lower case, as /meta's
// `coordinateEncoding` says; z stays decimal.

export interface TileUrlParts {
  palette: string;
  z: number;
  x: bigint;
  y: bigint;
  retina: boolean;
}

export function fillTileUrl(template: string, parts: TileUrlParts): string {
  const values: Record<string, string> = {
    palette: parts.palette,
    z: String(parts.z),
    x: parts.x.toString(36),
    y: parts.y.toString(36),
    r: parts.retina ? "@2x" : "",
  };
  return template.replace(/\{(palette|z|x|y|r)\}/g, (_, name: string) => values[name]);
}
