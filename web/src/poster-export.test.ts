import { describe, expect, it } from "vitest";
import { EXPORT_LIMITS } from "../../packages/export/limits";
import { budgetForPixelZoom } from "../../packages/tile/index";
import { posterRequest, posterSize, runPosterExport, type ExportStatus } from "./poster-export";
import type { ViewState } from "./view-state";

const VIEW: ViewState = { re: -0.75, im: 0.1, zoom: 3, palette: "magma" };

describe("posterRequest", () => {
  it("keeps the viewport's proportions with the preset on the long side, zoomed so the framing stays", () => {
    expect(posterSize(16384, { width: 1600, height: 900 })).toEqual({ width: 16384, height: 9216 });
    expect(posterSize(4096, { width: 900, height: 1600 })).toEqual({ width: 2304, height: 4096 });
    const { plan, body } = posterRequest(VIEW, { width: 1024, height: 1024 }, 16384, EXPORT_LIMITS);
    expect(plan.limited).toBe(false);
    expect(body).toMatchObject({
      width: 16384,
      height: 16384,
      zoom: 7,
      palette: "magma",
      re: expect.stringMatching(/^-0\.75/),
    });
  });

  it("shrinks to the server's export limits where the iteration budget is high", () => {
    // The viewer's deepest views (z44): a 16384² poster there is 4 zooms deeper, budget ≈ 16,000.
    const deep = { ...VIEW, zoom: 40 };
    const { plan, body } = posterRequest(deep, { width: 1024, height: 1024 }, 16384, EXPORT_LIMITS);
    expect(plan.limited).toBe(true);
    expect(body.width * body.height * budgetForPixelZoom(body.zoom)).toBeLessThanOrEqual(EXPORT_LIMITS.maxWork);
    expect(body.width).toBeGreaterThan(8192);
  });
});

describe("runPosterExport", () => {
  it("submits, polls until done and reports every status", async () => {
    const statuses: ExportStatus[] = [
      { id: "j", status: "queued", progress: 0 },
      { id: "j", status: "running", progress: 0.5 },
      { id: "j", status: "done", progress: 1, url: "https://s3/poster.png" },
    ];
    const requests: string[] = [];
    const fakeFetch = (async (url: string, init?: RequestInit) => {
      requests.push(`${init?.method ?? "GET"} ${url}`);
      if (init?.method === "POST")
        return new Response(JSON.stringify({ id: "j", statusUrl: "/exports/j" }), { status: 202 });
      return new Response(JSON.stringify(statuses.shift()), { status: 200 });
    }) as typeof fetch;
    const seen: string[] = [];
    const last = await runPosterExport(
      "https://api",
      posterRequest(VIEW, { width: 10, height: 10 }, 4096, EXPORT_LIMITS).body,
      (s) => seen.push(s.status),
      {
        fetch: fakeFetch,
        sleep: async () => {},
      },
    );
    expect(last.url).toBe("https://s3/poster.png");
    expect(seen).toEqual(["queued", "running", "done"]);
    expect(requests).toEqual([
      "POST https://api/exports",
      "GET https://api/exports/j",
      "GET https://api/exports/j",
      "GET https://api/exports/j",
    ]);
  });

  it("turns a refused submission into the API's error", async () => {
    const refuse = (async () =>
      new Response(JSON.stringify({ error: "invalid_parameter", detail: "width: too big" }), {
        status: 400,
      })) as unknown as typeof fetch;
    await expect(
      runPosterExport("", posterRequest(VIEW, { width: 10, height: 10 }, 4096, EXPORT_LIMITS).body, () => {}, {
        fetch: refuse,
        sleep: async () => {},
      }),
    ).rejects.toThrow(/width: too big/);
  });
});
