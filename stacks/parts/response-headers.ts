import { Duration } from "aws-cdk-lib";
import * as cloudfront from "aws-cdk-lib/aws-cloudfront";
import type { Construct } from "constructs";
import { ITERATIONS_HEADER } from "../../packages/cache/index";

/**
 * What the viewer page may load. Everything comes from its own origin: the
 * bundle and stylesheet (`./assets/*`), `config.json`, and, through the same
 * distribution, `/meta` (fetch), tiles (`<img>` and a fetch on errors). Images
 * also come as `data:` URIs (Leaflet's stylesheet inlines its icons; the page's
 * empty favicon is `data:,`). The "Save image" link opens `/render.*` in a new
 * tab, which is a navigation, not a load of this page. Leaflet moves tiles by
 * setting `element.style` from script (CSSOM), which `style-src 'self'`
 * allows; nothing sets inline style attributes or runs inline script.
 * A viewer built with another API host in config.json needs that host added
 * to connect-src and img-src.
 */
export const VIEWER_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

/** Two years, the value the HSTS preload list asks for; the distribution only answers HTTPS anyway. */
const HSTS_MAX_AGE = Duration.days(730);

const securityHeaders = (csp?: string): cloudfront.ResponseSecurityHeadersBehavior => ({
  strictTransportSecurity: { accessControlMaxAge: HSTS_MAX_AGE, includeSubdomains: true, override: true },
  contentTypeOptions: { override: true },
  referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN, override: true },
  frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
  ...(csp ? { contentSecurityPolicy: { contentSecurityPolicy: csp, override: true } } : {}),
});

/** The viewer's files: security headers with the CSP above. */
export function viewerHeadersPolicy(scope: Construct): cloudfront.ResponseHeadersPolicy {
  return new cloudfront.ResponseHeadersPolicy(scope, "ViewerHeaders", {
    comment: "fractile viewer: CSP, HSTS, nosniff, referrer policy, no framing",
    securityHeadersBehavior: securityHeaders(VIEWER_CSP),
  });
}

/**
 * Tiles, /meta, /health and /render.*: the same CORS answer whichever origin
 * served the response. A tile refilled from S3 would otherwise lack the
 * `Access-Control-Allow-Origin: *` the API adds (S3 has no CORS rule, and the
 * bucket stays private). CloudFront adds the CORS headers to CORS requests
 * (those with an Origin header), overriding the origin's.
 */
export function apiHeadersPolicy(scope: Construct): cloudfront.ResponseHeadersPolicy {
  return new cloudfront.ResponseHeadersPolicy(scope, "ApiHeaders", {
    comment: "fractile tiles and API: one CORS answer for S3 and Lambda responses, HSTS, nosniff",
    corsBehavior: {
      accessControlAllowOrigins: ["*"],
      accessControlAllowMethods: ["GET", "HEAD"],
      accessControlAllowHeaders: ["*"],
      accessControlAllowCredentials: false,
      accessControlExposeHeaders: ["ETag", ITERATIONS_HEADER],
      accessControlMaxAge: Duration.days(1),
      originOverride: true,
    },
    securityHeadersBehavior: securityHeaders(),
  });
}
