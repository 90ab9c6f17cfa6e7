/**
 * A tiny route table: match decoded path segments, then check the method.
 * Unknown paths are 404, known paths with the wrong method 405 with `Allow`.
 */
import { HttpError } from "./http";

export interface Route<Params> {
  name: string;
  methods: readonly string[];
  /** Returns the route's parameters when the segments belong to it. */
  match(segments: readonly string[]): Params | undefined;
}

export function resolveRoute<Params>(
  routes: readonly Route<Params>[],
  method: string,
  segments: readonly string[],
): { route: Route<Params>; params: Params } {
  for (const route of routes) {
    const params = route.match(segments);
    if (params === undefined) continue;
    if (!route.methods.includes(method)) {
      throw new HttpError(405, "method_not_allowed", `${route.name} accepts ${route.methods.join(", ")}, not ${method.slice(0, 32)}`, {
        allow: route.methods.join(", "),
      });
    }
    return { route, params };
  }
  throw new HttpError(404, "not_found", `no route for this path; see GET /meta for the tile and image URL templates`);
}

/** Matches one exact path such as `/health`. */
export function exactPath(...expected: string[]): (segments: readonly string[]) => {} | undefined {
  return (segments) =>
    segments.length === expected.length && segments.every((segment, i) => segment === expected[i]) ? {} : undefined;
}
