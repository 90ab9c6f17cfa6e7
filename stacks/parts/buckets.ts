import { Duration, RemovalPolicy } from "aws-cdk-lib";
import { PENDING_PREFIX } from "../../functions/lib/pending-prefix";
import * as s3 from "aws-cdk-lib/aws-s3";
import type { Construct } from "constructs";
import type { StageConfig } from "../stage-config";

/** Settings every bucket of the app shares: private, SSL only, owner-enforced. */
const PRIVATE_BUCKET: s3.BucketProps = {
  blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
  enforceSSL: true,
  encryption: s3.BucketEncryption.S3_MANAGED,
  objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
};

/**
 * Rendered tiles, keyed `tiles/{renderVersion}/...` (the public URL path), so
 * CloudFront reads them straight from here and a new render version never
 * overwrites the old one's keys.
 *
 * Lifecycle: S3 filters only on prefix or tags, and the names of *future*
 * render versions are unknown at deploy time, so "delete every render version
 * except the current one" cannot be expressed. Instead every tile expires a
 * fixed number of days after it was written. Tiles are a cache of a pure
 * function: an expired current tile costs one re-render on the next miss (and
 * CloudFront keeps hot tiles at the edge for a year anyway), while tiles of
 * retired render versions, which nobody requests any more, disappear for good.
 */
export function createTileBucket(scope: Construct, config: StageConfig): s3.Bucket {
  return new s3.Bucket(scope, "TileBucket", {
    ...PRIVATE_BUCKET,
    lifecycleRules: [
      {
        id: "expire-rendered-tiles",
        prefix: "tiles/",
        expiration: Duration.days(config.tileExpiryDays),
        abortIncompleteMultipartUploadAfter: Duration.days(1),
      },
      {
        // Reference orbits of deep tiles (`refs/{renderVersion}/...`): a cache
        // like the tiles, recomputed on a miss, never served by the CDN.
        id: "expire-reference-orbits",
        prefix: "refs/",
        expiration: Duration.days(config.tileExpiryDays),
      },
      {
        // Markers of deep tiles being rendered by the export worker (functions/lib/slow-tiles.ts):
        // ignored after the worker's timeout, so a day is plenty.
        id: "expire-slow-tile-markers",
        prefix: PENDING_PREFIX,
        expiration: Duration.days(1),
      },
    ],
    removalPolicy: config.retainTiles ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    autoDeleteObjects: !config.retainTiles,
  });
}

/** The viewer's static files: rebuilt from git on every deploy, so always disposable. */
export function createSiteBucket(scope: Construct): s3.Bucket {
  return new s3.Bucket(scope, "SiteBucket", {
    ...PRIVATE_BUCKET,
    removalPolicy: RemovalPolicy.DESTROY,
    autoDeleteObjects: true,
  });
}
