import { ITERATIONS_HEADER, ITERATIONS_METADATA } from "../../packages/cache/index";

/**
 * CloudFront Function (viewer response, `/tiles/*`): a tile served from the
 * bucket carries its budget as S3 user metadata, which S3 sends as
 * `x-amz-meta-fractile-iterations` and CloudFront passes through unchanged; a
 * response headers policy can only add fixed values, so this copies it to the
 * header the API itself sets, `x-fractile-iterations`. Tiles the API rendered
 * (the origin group's fallback) already have it and are left alone.
 * cloudfront-js-2.0 runtime; header names are lower case in the event.
 */
export const TILE_HEADERS_FUNCTION_CODE = `function handler(event) {
  var headers = event.response.headers;
  var stored = headers["x-amz-meta-${ITERATIONS_METADATA}"];
  if (stored && !headers["${ITERATIONS_HEADER}"]) headers["${ITERATIONS_HEADER}"] = { value: stored.value };
  return event.response;
}
`;
