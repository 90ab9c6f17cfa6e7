import { describe, expect, it } from "vitest";
import { downloadName, exportCentre, runExport, type ExportStatus } from "./export-job";

const BODY = { re: "-0.75", im: "0.1", zoom: 3, width: 4096, height: 4096 };

describe("runExport", () => {
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
    const last = await runExport("https://api", BODY, (s) => seen.push(s.status), {
      fetch: fakeFetch,
      sleep: async () => {},
    });
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
    await expect(runExport("", BODY, () => {}, { fetch: refuse, sleep: async () => {} })).rejects.toThrow(
      /width: too big/,
    );
  });
});

describe("downloadName", () => {
  it("takes the extension of the stored result, from local links and presigned ones alike", () => {
    expect(downloadName("fractile-a", "/exports/5/poster.png")).toBe("fractile-a.png");
    expect(downloadName("fractile-a", "https://bucket.s3/exports/5/poster.ZIP?X-Amz-Signature=ab.cd")).toBe(
      "fractile-a.zip",
    );
    expect(downloadName("fractile-a", "https://host/download")).toBe("fractile-a");
  });
});

describe("exportCentre", () => {
  it("sends the exact centre when the view has one, else enough digits for the zoom", () => {
    const exact = { re: "-1.7490863748149414062500000001", im: "0.00000000000000000000001", zoom: 90 };
    expect(exportCentre({ re: -1.749, im: 0, zoom: 90, palette: "classic", exact }, 90)).toEqual({
      re: exact.re,
      im: exact.im,
    });
    const { re } = exportCentre({ re: -0.7436438870371587, im: 0.1318259, zoom: 20, palette: "classic" }, 20);
    expect(Math.abs(Number(re) + 0.7436438870371587)).toBeLessThan(1e-10);
  });
});
