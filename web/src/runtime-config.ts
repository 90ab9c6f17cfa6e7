// Where the API lives is decided at deploy time, not build time: the deploy
// writes config.json next to index.html. The build ships a default with an
// empty apiBase (same origin), and a missing file means the same.

export interface RuntimeConfig {
  /** Origin (and optional path prefix) of the tile/image API, without a trailing slash; "" = same origin. */
  apiBase: string;
}

export async function loadRuntimeConfig(): Promise<RuntimeConfig> {
  const response = await fetch(new URL("config.json", document.baseURI), { cache: "no-cache" });
  if (response.status === 404) return { apiBase: "" };
  if (!response.ok) throw new Error(`config.json: HTTP ${response.status}`);
  return parseRuntimeConfig(await response.json());
}

export function parseRuntimeConfig(raw: unknown): RuntimeConfig {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw))
    throw new Error("config.json must hold a JSON object");
  const apiBase = (raw as { apiBase?: unknown }).apiBase ?? "";
  if (typeof apiBase !== "string") throw new Error("config.json: apiBase must be a string");
  if (apiBase !== "" && !/^https?:\/\//.test(apiBase)) {
    throw new Error(`config.json: apiBase must be an http(s) URL or "", got ${JSON.stringify(apiBase)}`);
  }
  return { apiBase: apiBase.replace(/\/+$/, "") };
}
