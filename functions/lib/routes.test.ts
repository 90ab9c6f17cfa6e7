import { describe, expect, it } from "vitest";
import { pathSegments } from "./http";
import { IMAGE_ROUTES, TILE_ROUTES, functionOfPath, gatewayRoutes, imageFormatOf } from "./routes";

const owner = (rawPath: string) => functionOfPath(pathSegments(rawPath));

describe("route table", () => {
  it("gives tile, health and meta paths to the tile function and /render.* to the image function", () => {
    expect(owner("/health")).toBe("tiles");
    expect(owner("/meta")).toBe("tiles");
    expect(owner("/tiles/r1/classic/3/1/2.png")).toBe("tiles");
    expect(owner("/tiles/r1/classic/3/1/2@2x.png")).toBe("tiles");
    for (const ext of ["png", "jpg", "jpeg", "webp"]) expect(owner(`/render.${ext}`)).toBe("image");
  });

  it("claims nothing else, so the viewer's files and unknown paths fall through", () => {
    const unclaimed = ["/", "/index.html", "/health/", "/metadata", "/tiles/r1/classic/3/1", "/render.gif"];
    for (const path of [...unclaimed, "/render.constructor", "/x/render.png"]) {
      expect(owner(path), path).toBeUndefined();
    }
  });

  it("matches the tile parameters from the path", () => {
    const params = TILE_ROUTES.map((r) => r.match(pathSegments("/tiles/v9/magma/4/7/5@2x.png"))).find(Boolean);
    expect(params).toEqual({ kind: "tile", version: "v9", palette: "magma", z: "4", x: "7", y: "5", at2x: true });
  });

  it("maps image extensions to formats and nothing inherited from Object", () => {
    const segments = ["render.png", "render.jpg", "render.jpeg", "render.webp"];
    expect(segments.map(imageFormatOf)).toEqual(["png", "jpeg", "jpeg", "webp"]);
    expect(imageFormatOf("render.constructor")).toBeUndefined();
    expect(IMAGE_ROUTES[0].match(["render.hasOwnProperty"])).toBeUndefined();
  });

  it("sends every gateway route's method and path to the function whose route accepts it", () => {
    for (const { routeKey, fn } of gatewayRoutes()) {
      const [method, path] = routeKey.split(" ");
      const concrete = path.replace("{proxy+}", "r1/classic/0/0/0.png").replace("{id}", crypto.randomUUID());
      expect(owner(concrete), routeKey).toBe(fn);
      // Only submitting an export writes; everything else is a read.
      expect(routeKey === "POST /exports" ? ["POST"] : ["GET", "HEAD"]).toContain(method);
    }
  });
});
