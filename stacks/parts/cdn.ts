import { existsSync } from "node:fs";
import { Duration, Fn } from "aws-cdk-lib";
import * as cloudfront from "aws-cdk-lib/aws-cloudfront";
import * as origins from "aws-cdk-lib/aws-cloudfront-origins";
import type * as s3 from "aws-cdk-lib/aws-s3";
import * as s3deploy from "aws-cdk-lib/aws-s3-deployment";
import type { Construct } from "constructs";
import { apiHeadersPolicy, viewerHeadersPolicy } from "./response-headers";
import { TILE_HEADERS_FUNCTION_CODE } from "./tile-headers";

const YEAR = Duration.days(365);

/**
 * One CloudFront distribution in front of everything, HTTPS only:
 * - `/tiles/*`: the tile bucket first (through Origin Access Control); on a
 *   miss S3 answers 403 (CloudFront may not list the bucket), and the origin
 *   group fails over to the API, which renders, stores and returns the tile.
 *   Versioned tile URLs never change content, so they are cached for a year;
 *   the API's `no-store` on unknown render versions is respected (min TTL 0).
 *   A viewer-response function turns the object's budget metadata into the
 *   `X-Fractile-Iterations` header (tile-headers.ts).
 * - `/meta`, `/health`: the API, cached seconds at most.
 * - `/render.*`: the API, keyed on the query parameters that define the image.
 * - `/point`: the API, keyed on re, im and zoom.
 * - `/exports*`: the API, never cached (POST submits a job, GET polls its status).
 * - everything else: the viewer from the site bucket; `index.html` and
 *   `config.json` short-lived, Vite's content-hashed `/assets/*` for a year.
 * Response headers (stacks/parts/response-headers.ts): the viewer's files get
 * the security headers and CSP; tiles and the API one CORS answer.
 */
export function createCdn(
  scope: Construct,
  props: { tileBucket: s3.IBucket; siteBucket: s3.IBucket; apiUrl: string },
): cloudfront.Distribution {
  const apiOrigin = new origins.HttpOrigin(Fn.select(2, Fn.split("/", props.apiUrl)), {
    protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
  });
  const siteOrigin = origins.S3BucketOrigin.withOriginAccessControl(props.siteBucket);
  const tilesThenRender = new origins.OriginGroup({
    primaryOrigin: origins.S3BucketOrigin.withOriginAccessControl(props.tileBucket),
    fallbackOrigin: apiOrigin,
    fallbackStatusCodes: [403, 404],
  });

  const immutableTiles = new cloudfront.CachePolicy(scope, "ImmutableTiles", {
    comment: "Versioned tile URLs: content never changes",
    defaultTtl: YEAR,
    maxTtl: YEAR,
    minTtl: Duration.seconds(0),
  });
  const shortLived = new cloudfront.CachePolicy(scope, "ShortLived", {
    comment: "index.html, config.json, /meta: must follow a release within a minute",
    defaultTtl: Duration.seconds(30),
    maxTtl: Duration.seconds(60),
    minTtl: Duration.seconds(0),
  });
  const renderedImages = new cloudfront.CachePolicy(scope, "RenderedImages", {
    comment: "Whole images: keyed on the parameters that define them",
    defaultTtl: Duration.hours(1),
    maxTtl: Duration.days(1),
    minTtl: Duration.seconds(0),
    queryStringBehavior: cloudfront.CacheQueryStringBehavior.allowList(
      "re",
      "im",
      "zoom",
      "scale",
      "width",
      "height",
      "palette",
    ),
  });

  const pointAnswers = new cloudfront.CachePolicy(scope, "PointAnswers", {
    comment: "/point: keyed on the point and zoom it inspects",
    defaultTtl: Duration.hours(1),
    maxTtl: Duration.days(1),
    minTtl: Duration.seconds(0),
    queryStringBehavior: cloudfront.CacheQueryStringBehavior.allowList("re", "im", "zoom"),
  });

  const tileHeaders = new cloudfront.Function(scope, "TileHeaders", {
    comment: "x-amz-meta-fractile-iterations -> x-fractile-iterations on tiles served from S3",
    code: cloudfront.FunctionCode.fromInline(TILE_HEADERS_FUNCTION_CODE),
    runtime: cloudfront.FunctionRuntime.JS_2_0,
  });

  const https = cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS;
  const viewerHeaders = viewerHeadersPolicy(scope);
  const apiHeaders = apiHeadersPolicy(scope);
  const site = { origin: siteOrigin, viewerProtocolPolicy: https, responseHeadersPolicy: viewerHeaders };
  const api = { viewerProtocolPolicy: https, responseHeadersPolicy: apiHeaders };
  return new cloudfront.Distribution(scope, "Cdn", {
    comment: "fractile: tiles, API and viewer",
    defaultRootObject: "index.html",
    httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
    priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
    defaultBehavior: { ...site, cachePolicy: shortLived },
    additionalBehaviors: {
      "/tiles/*": {
        ...api,
        origin: tilesThenRender,
        cachePolicy: immutableTiles,
        functionAssociations: [{ function: tileHeaders, eventType: cloudfront.FunctionEventType.VIEWER_RESPONSE }],
      },
      "/assets/*": { ...site, cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED },
      "/meta": { ...api, origin: apiOrigin, cachePolicy: shortLived },
      "/health": { ...api, origin: apiOrigin, cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED },
      "/render.*": { ...api, origin: apiOrigin, cachePolicy: renderedImages },
      "/point": { ...api, origin: apiOrigin, cachePolicy: pointAnswers },
      "/exports*": {
        ...api,
        origin: apiOrigin,
        cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
      },
    },
  });
}

export const VIEWER_DIST = "web/dist";

/** Vite's content-hashed bundle: a name never changes content. */
export const VIEWER_ASSETS_CACHE_CONTROL = "public, max-age=31536000, immutable";
/** index.html and config.json: name the current bundle and API, so browsers revalidate every time. */
export const VIEWER_PAGE_CACHE_CONTROL = "no-cache";

/**
 * Uploads the built viewer in two steps and writes its runtime `config.json`
 * (the file the build ships is excluded, so ours is the only one). The API is
 * served through the same distribution, so the base is the distribution's own
 * URL.
 * 1. `assets/*` (content-hashed) with a year's `immutable` Cache-Control, and
 *    never pruned: a browser or edge still holding an older `index.html` keeps
 *    loading the bundle it names instead of getting 403s. Old bundles stay
 *    until the stage is removed (~180 KB a release).
 * 2. Then, only once the assets are in place, `index.html` and `config.json`
 *    with `no-cache`, pruning old root files but never `assets/*`.
 */
export function deployViewer(
  scope: Construct,
  props: { siteBucket: s3.IBucket; distribution: cloudfront.IDistribution },
): void {
  if (!existsSync(VIEWER_DIST)) {
    throw new Error(`${VIEWER_DIST} is missing: build the viewer first (npm run build:web)`);
  }
  const assets = new s3deploy.BucketDeployment(scope, "ViewerAssets", {
    sources: [s3deploy.Source.asset(`${VIEWER_DIST}/assets`)],
    destinationBucket: props.siteBucket,
    destinationKeyPrefix: "assets/",
    prune: false,
    cacheControl: [s3deploy.CacheControl.fromString(VIEWER_ASSETS_CACHE_CONTROL)],
  });
  const pages = new s3deploy.BucketDeployment(scope, "Viewer", {
    sources: [
      s3deploy.Source.asset(VIEWER_DIST, { exclude: ["config.json", "assets"] }),
      s3deploy.Source.jsonData("config.json", { apiBase: `https://${props.distribution.distributionDomainName}` }),
    ],
    destinationBucket: props.siteBucket,
    exclude: ["assets/*"],
    cacheControl: [s3deploy.CacheControl.fromString(VIEWER_PAGE_CACHE_CONTROL)],
    distribution: props.distribution,
    distributionPaths: ["/", "/index.html", "/config.json"],
  });
  pages.node.addDependency(assets);
}
