/**
 * cdk-nag (AwsSolutions) findings accepted on purpose, each with its reason.
 * Kept next to nothing else so a reviewer sees every exception in one file;
 * `appliesTo` pins each one to the exact policy, action or resource, so a new
 * finding of the same rule elsewhere still fails the synth.
 */
import type { Stack } from "aws-cdk-lib";
import type * as cloudfront from "aws-cdk-lib/aws-cloudfront";
import type * as codedeploy from "aws-cdk-lib/aws-codedeploy";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import type * as s3 from "aws-cdk-lib/aws-s3";
import { NagSuppressions } from "cdk-nag";
import type { IConstruct } from "constructs";

const LAMBDA_BASIC_EXECUTION = "Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole";
const CODEDEPLOY_FOR_LAMBDA =
  "Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSCodeDeployRoleForLambdaLimited";

export interface NagSubjects {
  stack: Stack;
  functions: { fn: lambda.Function; name: string }[];
  tileFunction: lambda.Function;
  releaseGroups: codedeploy.LambdaDeploymentGroup[];
  buckets: s3.IBucket[];
  distribution: cloudfront.Distribution;
  apiRoutes: IConstruct[];
  /** The release hooks (stacks/parts/release-hooks.ts). */
  hooks: lambda.Function[];
  /** The exports API and worker (stacks/parts/exports.ts). */
  exportFunctions: lambda.Function[];
}

export function suppressAcceptedNagFindings(subjects: NagSubjects): void {
  for (const fn of subjects.exportFunctions) {
    NagSuppressions.addResourceSuppressions(
      fn.role!,
      [
        {
          id: "AwsSolutions-IAM5",
          reason:
            "Export jobs are keyed exports/{jobId}/... with ids made per job, so access is granted on the exports/ prefix of the one bucket only; the worker also reads and puts the tile cache, tiles/ and refs/ (aligned posters reuse and warm it, like the tile function's grant); the action wildcards are CDK's grantReadWrite/grantDelete/grantRead/grantPut sets (Get/List to read records, parts and tiles, Abort for multipart uploads, Delete for the assembly lock).",
          appliesTo: [
            { regex: "/^Resource::<TileBucket[0-9A-F]+\\.Arn>\\/exports\\/\\*$/" },
            { regex: "/^Resource::<TileBucket[0-9A-F]+\\.Arn>\\/tiles\\/\\*$/" },
            { regex: "/^Resource::<TileBucket[0-9A-F]+\\.Arn>\\/refs\\/\\*$/" },
            "Action::s3:GetObject*",
            "Action::s3:GetBucket*",
            "Action::s3:List*",
            "Action::s3:DeleteObject*",
            "Action::s3:Abort*",
          ],
        },
      ],
      true,
    );
  }
  for (const { fn, name } of subjects.functions) {
    NagSuppressions.addResourceSuppressions(fn.role!, [
      {
        id: "AwsSolutions-IAM4",
        reason: `${name}: AWSLambdaBasicExecutionRole only lets the function write its own CloudWatch Logs; a hand-written copy would grant the same.`,
        appliesTo: [LAMBDA_BASIC_EXECUTION],
      },
    ]);
  }

  NagSuppressions.addResourceSuppressions(
    subjects.tileFunction.role!,
    [
      {
        id: "AwsSolutions-IAM5",
        reason:
          "Tile keys, deep tiles' reference-orbit keys and the markers of slow tiles being rendered by the export worker are computed per request (tiles/{renderVersion}/{palette}/{z}/{x}/{y}.png, refs/{renderVersion}/{anchor}/{budget}.f{format}.bin, pending/{sha256 of the tile key}.json), so read/put are granted on the tiles/, refs/ and pending/ prefixes of the one tile bucket; the action wildcards are CDK's grantRead/grantPut sets (Get/List for reads, Abort for multipart puts).",
        appliesTo: [
          { regex: "/^Resource::<TileBucket[0-9A-F]+\\.Arn>\\/tiles\\/\\*$/" },
          { regex: "/^Resource::<TileBucket[0-9A-F]+\\.Arn>\\/refs\\/\\*$/" },
          { regex: "/^Resource::<TileBucket[0-9A-F]+\\.Arn>\\/pending\\/\\*$/" },
          "Action::s3:GetObject*",
          "Action::s3:GetBucket*",
          "Action::s3:List*",
          "Action::s3:Abort*",
        ],
      },
    ],
    true,
  );

  NagSuppressions.addResourceSuppressions(
    subjects.tileFunction.role!,
    [
      {
        id: "AwsSolutions-IAM5",
        reason:
          "The tile function forwards a tile of another render version to the version owning it through the alias rv-{renderVersion}; render versions are named at release time, so the grant spans this one function's rv-* aliases (never $LATEST or a bare version).",
        appliesTo: [
          { regex: "/^Resource::arn:<AWS::Partition>:lambda:[^:]+:[^:]+:function:fractile-[a-z0-9-]+-tiles:rv-\\*$/" },
        ],
      },
    ],
    true,
  );

  for (const hook of subjects.hooks) {
    NagSuppressions.addResourceSuppressions(
      hook.role!,
      [
        {
          id: "AwsSolutions-IAM5",
          reason:
            "A release hook manages the versions and rv-* aliases of the one function it releases; versions and render version names are only known at release time. DeleteFunction is granted on qualified ARNs only, so the function itself cannot be deleted.",
          appliesTo: [{ regex: "/^Resource::<(Tiles|Image)[0-9A-F]+\\.Arn>:(\\*|rv-\\*)$/" }],
        },
      ],
      true,
    );
  }

  for (const group of subjects.releaseGroups) {
    NagSuppressions.addResourceSuppressions(
      group.role,
      [
        {
          id: "AwsSolutions-IAM4",
          reason:
            "CodeDeploy's own service policy for Lambda blue/green (alias updates, hook invocation); AWS maintains it as the API evolves.",
          appliesTo: [CODEDEPLOY_FOR_LAMBDA],
        },
        {
          id: "AwsSolutions-IAM5",
          reason:
            "CodeDeploy invokes the pre-traffic hook by qualified ARN; the wildcard only spans that one hook function's versions.",
          appliesTo: [{ regex: "/^Resource::<(Tiles|Image)Hook(Before|After)Traffic[0-9A-F]+\\.Arn>:\\*$/" }],
        },
      ],
      true,
    );
  }

  for (const bucket of subjects.buckets) {
    NagSuppressions.addResourceSuppressions(bucket, [
      {
        id: "AwsSolutions-S1",
        reason:
          "Only CloudFront (OAC) and the tile function read or write this bucket; requests are already visible in CloudFront and Lambda metrics, and server access logs would cost more than the cache they describe.",
      },
    ]);
  }

  NagSuppressions.addResourceSuppressions(subjects.distribution, [
    { id: "AwsSolutions-CFR1", reason: "A public map of a fractal: nothing to restrict by country." },
    {
      id: "AwsSolutions-CFR2",
      reason:
        "No WAF: API stage throttling and reserved concurrency already cap cost and load, and a WebACL costs more than the service itself.",
    },
    {
      id: "AwsSolutions-CFR3",
      reason:
        "No standard logs: they need an ACL-enabled log bucket; CloudFront's default metrics are enough for a cache of immutable tiles.",
    },
    {
      id: "AwsSolutions-CFR4",
      reason:
        "The default *.cloudfront.net certificate cannot pin a minimum TLS version; a custom domain with an ACM certificate would (none is configured).",
    },
  ]);

  for (const route of subjects.apiRoutes) {
    NagSuppressions.addResourceSuppressions(route, [
      {
        id: "AwsSolutions-APIG4",
        reason: "A public, read-only, anonymous API by design; throttling and reserved concurrency bound abuse.",
      },
    ]);
  }

  suppressFrameworkFunctions(subjects.stack);
}

/** Functions CDK and SST add for deployment plumbing, not code of ours. */
function suppressFrameworkFunctions(stack: Stack): void {
  const sstMetadataHandler = stack.node.tryFindChild("CustomResourceHandler");
  if (sstMetadataHandler) {
    NagSuppressions.addResourceSuppressions(
      sstMetadataHandler,
      [
        {
          id: "AwsSolutions-IAM4",
          reason: "SST's stack-metadata custom resource; its role and managed policy are defined by SST.",
          appliesTo: [LAMBDA_BASIC_EXECUTION],
        },
      ],
      true,
    );
  }
  for (const child of stack.node.children) {
    if (!child.node.id.startsWith("Custom::CDKBucketDeployment")) continue;
    NagSuppressions.addResourceSuppressions(
      child,
      [
        {
          id: "AwsSolutions-IAM4",
          reason: "CDK's BucketDeployment handler (uploads the viewer); its role is defined by CDK.",
          appliesTo: [LAMBDA_BASIC_EXECUTION],
        },
        {
          id: "AwsSolutions-IAM5",
          reason:
            "CDK's BucketDeployment copies every viewer file from the CDK asset bucket into the site bucket and invalidates the distribution; it needs object wildcards on both.",
        },
        {
          id: "AwsSolutions-L1",
          reason: "CDK's BucketDeployment pins its own Python runtime; it is not ours to upgrade.",
        },
      ],
      true,
    );
  }
}
