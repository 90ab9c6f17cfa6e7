import { describe, expect, it } from "vitest";
import { EXPORT_LIMITS } from "../../packages/export/limits";
import { budgetForPixelZoom } from "../../packages/tile/index";
import { posterRequest, posterSize } from "./poster-export";
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
