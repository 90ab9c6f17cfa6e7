/**
 * Resolves a request against a function's routes (functions/lib/routes.ts): match decoded path
 * segments, then check the method. Unknown paths are 404, known paths with the wrong method 405
 * with `Allow`.
 */
import { HttpError } from "./http";
import type { Route } from "./routes";

export function resolveRoute<Params>(
  routes: readonly Route<Params>[],
  method: string,
  segments: readonly string[],
): { route: Route<Params>; params: Params } {
  for (const route of routes) {
    const params = route.match(segments);
    if (params === undefined) continue;
    if (!route.methods.includes(method)) {
      const detail = `${route.name} accepts ${route.methods.join(", ")}, not ${method.slice(0, 32)}`;
      throw new HttpError(405, "method_not_allowed", detail, { allow: route.methods.join(", ") });
    }
    return { route, params };
  }
  throw new HttpError(404, "not_found", `no route for this path; see GET /meta for the tile and image URL templates`);
}
