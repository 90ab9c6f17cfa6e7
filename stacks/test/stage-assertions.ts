/**
 * Properties every stage's synthesized template must have, registered as
 * tests by each stage's test file (each file synthesizes its stage once).
 */
import { PENDING_PREFIX } from "../../functions/lib/pending-prefix";
import { TILE_HEADERS_FUNCTION_CODE } from "../parts/tile-headers";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Match } from "aws-cdk-lib/assertions";
import type { SynthesisMessage } from "aws-cdk-lib/cx-api";
import { expect, it } from "vitest";
import { stageNames } from "../naming";
import { stageConfig } from "../stage-config";
import { VIEWER_ASSETS_CACHE_CONTROL } from "../parts/cdn";
import { VIEWER_CSP } from "../parts/response-headers";
import { EXPORT_QUEUE } from "../../functions/lib/export-queue";
import { ONE_VCPU_MB, deepThreadsFor } from "../../functions/lib/function-sizing";
import { EXPORT_ALARMS } from "../parts/exports";
import type { SynthesizedStage } from "./synth";
import {
  type Resource,
  aliasOf,
  alarmMetrics,
  bundleDir,
  functionNamed,
  ofType,
  referencedId,
  resources,
  typeOfReferenced,
} from "./template-queries";

const API_GATEWAY_LIMIT_SECONDS = 30;
const ELF_MACHINE = { x86_64: 0x3e, arm64: 0xb7 } as const;

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

export function assertStageInvariants(synth: () => SynthesizedStage): void {
  const ctx = () => {
    const s = synth();
    return { ...s, names: stageNames(s.stage), config: stageConfig(s.stage), all: resources(s.template) };
  };

  it("runs the tile function on arm64 / nodejs22.x with the stage's memory (vCPUs for deep tiles), below API Gateway's timeout", () => {
    const { template, names, config } = ctx();
    const [, tiles] = functionNamed(template, names.functionName("tiles"));
    expect(tiles.Properties).toMatchObject({
      Architectures: ["arm64"],
      Runtime: "nodejs22.x",
      MemorySize: config.tileMemoryMb,
    });
    // at least two vCPUs' worth, so deep tiles' loops run on 2 threads (functions/lib/deep-threads.ts)
    expect(deepThreadsFor(tiles.Properties.MemorySize, 64)).toBeGreaterThanOrEqual(2);
    // No reservation unless the stage sets one (a reservation can exceed a new account's quota).
    expect(tiles.Properties.ReservedConcurrentExecutions).toBe(config.reservedConcurrency.tiles);
    expect(tiles.Properties.Timeout).toBeLessThan(API_GATEWAY_LIMIT_SECONDS);
    const [, image] = functionNamed(template, names.functionName("image"));
    expect(image.Properties).toMatchObject({ Runtime: "nodejs22.x", MemorySize: ONE_VCPU_MB });
    expect(image.Properties.ReservedConcurrentExecutions).toBe(config.reservedConcurrency.image);
    expect(image.Properties.Timeout).toBeLessThan(API_GATEWAY_LIMIT_SECONDS);
  });

  it("gives the tile function the environment the handlers read", () => {
    const { template, names } = ctx();
    const [, tiles] = functionNamed(template, names.functionName("tiles"));
    const env = tiles.Properties.Environment.Variables;
    expect(env.POWERTOOLS_SERVICE_NAME).toBe(`fractile-${names.stage}-tiles`);
    expect(env.POWERTOOLS_METRICS_NAMESPACE).toBe("Fractile");
    expect(typeOfReferenced(template, env.TILE_BUCKET)).toBe("AWS::S3::Bucket");
    // Warm-up fans out through the alias, never $LATEST.
    expect(JSON.stringify(env.WARM_TARGET_ARN)).toMatch(new RegExp(`:function:fractile-${names.stage}-tiles:live"`));
  });

  it("ships no native binaries in the tile and hook bundles (pure JS + wasm runs on arm64)", () => {
    const { template, names, assemblyDir } = ctx();
    const [, tiles] = functionNamed(template, names.functionName("tiles"));
    const hooks = ofType(template, "AWS::Lambda::Function").filter(
      ([, r]) => r.Properties.Environment?.Variables?.TARGET_VERSION_ARN,
    );
    expect(hooks).toHaveLength(4);
    for (const fn of [tiles, ...hooks.map(([, h]) => h)]) {
      const files = filesUnder(bundleDir(assemblyDir, fn));
      expect(files.some((f) => f.endsWith(".mjs"))).toBe(true);
      expect(files.filter((f) => f.endsWith(".node"))).toEqual([]);
    }
  });

  it.each(["image", "export-worker"] as const)(
    "ships the canvas binary built for the %s function's architecture",
    (role) => {
      const { template, names, assemblyDir } = ctx();
      const [, fn] = functionNamed(template, names.functionName(role));
      const natives = filesUnder(bundleDir(assemblyDir, fn)).filter((f) => f.endsWith(".node"));
      expect(natives).toHaveLength(1);
      const elf = readFileSync(natives[0]);
      expect(elf.subarray(0, 4).toString("latin1")).toBe("\x7fELF");
      const architecture = fn.Properties.Architectures?.[0] ?? "x86_64";
      expect(elf.readUInt16LE(18)).toBe(ELF_MACHINE[architecture as keyof typeof ELF_MACHINE]);
    },
  );

  it("releases each function through its `live` alias with CodeDeploy, with a hook before and after traffic", () => {
    const { template, names, all } = ctx();
    for (const role of ["tiles", "image"] as const) {
      const [fnId] = functionNamed(template, names.functionName(role));
      const [, alias] = aliasOf(template, fnId);
      expect(alias.Properties.Name).toBe("live");
      expect(typeOfReferenced(template, alias.Properties.FunctionVersion)).toBe("AWS::Lambda::Version");
      const policy = alias.UpdatePolicy?.CodeDeployLambdaAliasUpdate;
      expect(typeOfReferenced(template, policy.ApplicationName)).toBe("AWS::CodeDeploy::Application");
      const group = all[referencedId(policy.DeploymentGroupName)];
      expect(group.Properties.DeploymentGroupName).toBe(names.deploymentGroup(role));
      expect(group.Properties.AutoRollbackConfiguration).toEqual({
        Enabled: true,
        Events: expect.arrayContaining([
          "DEPLOYMENT_FAILURE",
          "DEPLOYMENT_STOP_ON_REQUEST",
          "DEPLOYMENT_STOP_ON_ALARM",
        ]),
      });
      expect(group.Properties.AlarmConfiguration.Enabled).toBe(true);
      for (const [hookRef, phase] of [
        [policy.BeforeAllowTrafficHook, "before-traffic"],
        [policy.AfterAllowTrafficHook, "after-traffic"],
      ]) {
        const hook = all[referencedId(hookRef)];
        expect(hook.Type).toBe("AWS::Lambda::Function");
        const env = hook.Properties.Environment.Variables;
        expect(env).toMatchObject({ HOOK_ROLE: role, HOOK_PHASE: phase });
        // Each hook looks after exactly the version this alias is about to receive.
        expect(referencedId(env.TARGET_VERSION_ARN)).toBe(referencedId(alias.Properties.FunctionVersion));
      }
    }
  });

  it("retains every published version, so a rollback and older render versions have a version to run", () => {
    const { template } = ctx();
    const versions = ofType(template, "AWS::Lambda::Version");
    expect(versions.length).toBeGreaterThanOrEqual(2);
    for (const [, version] of versions) {
      expect(version.DeletionPolicy).toBe("Retain");
      expect((version as { UpdateReplacePolicy?: string }).UpdateReplacePolicy).toBe("Retain");
    }
  });

  it("gates releases on alarms that watch only the new version and treat missing data as fine", () => {
    const { template, names, all } = ctx();
    for (const role of ["tiles", "image"] as const) {
      const [fnId] = functionNamed(template, names.functionName(role));
      const [, alias] = aliasOf(template, fnId);
      const newVersion = { "Fn::GetAtt": [referencedId(alias.Properties.FunctionVersion), "Version"] };
      const group = all[referencedId(alias.UpdatePolicy!.CodeDeployLambdaAliasUpdate.DeploymentGroupName)];
      const alarms = (group.Properties.AlarmConfiguration.Alarms as { Name: unknown }[]).map(
        (a) => all[referencedId(a.Name)],
      );
      expect(alarms.length).toBe(4);
      const watched = new Set<string>();
      for (const alarm of alarms) {
        expect(alarm.Type).toBe("AWS::CloudWatch::Alarm");
        expect(alarm.Properties.TreatMissingData).toBe("notBreaching");
        expect(alarm.Properties.AlarmName.startsWith(names.alarmPrefix)).toBe(true);
        const metrics = alarmMetrics(alarm);
        expect(metrics.length).toBeGreaterThan(0);
        if (alarm.Properties.AlarmName === names.alarmName(role, "throttles")) {
          // Function-wide: a throttled request never ran a version.
          expect(metrics).toEqual([
            { namespace: "AWS/Lambda", name: "Throttles", dimensions: { FunctionName: names.functionName(role) } },
          ]);
          watched.add("AWS/Lambda/Throttles");
          continue;
        }
        for (const metric of metrics) {
          const versionDimension = metric.dimensions.ExecutedVersion ?? metric.dimensions.FunctionVersion;
          expect(versionDimension, `${alarm.Properties.AlarmName} ${metric.name}`).toEqual(newVersion);
          if (metric.namespace === "Fractile") expect(metric.dimensions.service).toBe(names.serviceName(role));
          watched.add(`${metric.namespace}/${metric.name}`);
        }
      }
      // 5xx (handled and unhandled), duration and throttles are all covered.
      expect([...watched].sort()).toEqual(
        [
          "AWS/Lambda/Duration",
          "AWS/Lambda/Errors",
          "AWS/Lambda/Invocations",
          "AWS/Lambda/Throttles",
          "Fractile/ServerErrors",
        ].sort(),
      );
      const p99 = alarms.find((a) => a.Properties.MetricName === "Duration")!;
      expect(p99.Properties.ExtendedStatistic).toBe("p99");
      // The absolute alarm: a few 5xx of the new version in one minute, whatever the traffic.
      const errors = alarms.find((a) => a.Properties.AlarmName === names.alarmName(role, "errors"))!;
      expect(errors.Properties).toMatchObject({
        EvaluationPeriods: 1,
        DatapointsToAlarm: 1,
        Threshold: 3,
        ComparisonOperator: "GreaterThanOrEqualToThreshold",
      });
      const expression = (errors.Properties.Metrics as any[]).find((m) => m.Expression).Expression;
      expect(expression).not.toContain("invocations");
      expect(
        alarmMetrics(errors)
          .map((m) => m.name)
          .sort(),
      ).toEqual(["Errors", "ServerErrors"]);
    }
  });

  it("lets each hook touch only its own function: invoke the new version, manage rv-* aliases, delete versions by qualifier", () => {
    const { template, names, all } = ctx();
    const statementsOf = (fnRes: Resource) => {
      const roleId = referencedId(fnRes.Properties.Role);
      const managed = all[roleId].Properties.ManagedPolicyArns;
      expect(managed).toHaveLength(1);
      expect(JSON.stringify(managed)).toContain("AWSLambdaBasicExecutionRole");
      return ofType(template, "AWS::IAM::Policy")
        .filter(([, p]) => p.Properties.Roles.some((r: unknown) => referencedId(r) === roleId))
        .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as any[]);
    };
    for (const role of ["tiles", "image"] as const) {
      const [fnId] = functionNamed(template, names.functionName(role));
      const [, alias] = aliasOf(template, fnId);
      const policy = alias.UpdatePolicy!.CodeDeployLambdaAliasUpdate;
      const groupId = referencedId(policy.DeploymentGroupName);
      const fnArn = JSON.stringify({ "Fn::GetAtt": [fnId, "Arn"] });
      for (const hookRef of [policy.BeforeAllowTrafficHook, policy.AfterAllowTrafficHook]) {
        const hook = all[referencedId(hookRef)];
        const statements = statementsOf(hook);
        const report = statements.filter((st) => st.Action === "codedeploy:PutLifecycleEventHookExecutionStatus");
        expect(report).toHaveLength(1);
        expect(JSON.stringify(report[0].Resource)).toContain(`{"Ref":"${groupId}"}`);
        for (const st of statements.filter((x) => x !== report[0])) {
          for (const action of [st.Action].flat()) expect(action, JSON.stringify(st)).toMatch(/^lambda:/);
          // Nothing outside this function: its ARN, its version ARN, or its qualified ARNs.
          for (const resource of [st.Resource].flat()) {
            const text = JSON.stringify(resource);
            expect(
              text === fnArn ||
                text.includes(fnArn) ||
                text === JSON.stringify({ Ref: referencedId(alias.Properties.FunctionVersion) }),
              text,
            ).toBe(true);
          }
          if ([st.Action].flat().includes("lambda:DeleteFunction")) {
            expect([st.Resource].flat().map((r) => JSON.stringify(r))).toEqual([
              JSON.stringify({ "Fn::Join": ["", [{ "Fn::GetAtt": [fnId, "Arn"] }, ":*"]] }),
            ]);
          }
        }
        const invoke = statements.filter((st) => [st.Action].flat().includes("lambda:InvokeFunction"));
        if (hookRef === policy.BeforeAllowTrafficHook) {
          expect(invoke).toEqual([
            {
              Action: "lambda:InvokeFunction",
              Effect: "Allow",
              Resource: { Ref: referencedId(alias.Properties.FunctionVersion) },
            },
          ]);
        } else {
          expect(invoke).toEqual([]);
          expect(statements.flatMap((st) => [st.Action].flat())).toEqual(
            expect.arrayContaining(["lambda:DeleteFunction", "lambda:ListVersionsByFunction"]),
          );
        }
        const aliasWrites = statements.filter((st) => [st.Action].flat().includes("lambda:CreateAlias"));
        expect(aliasWrites.length).toBe(role === "tiles" ? 1 : 0);
      }
    }
  });

  it("routes each API path to its function's alias and everything else to the tile function, throttled", () => {
    const { template, config, names, all } = ctx();
    const aliasIdOf = (role: "tiles" | "image" | "exports") =>
      aliasOf(template, functionNamed(template, names.functionName(role))[0])[0];
    const aliasByRoute = Object.fromEntries(
      ofType(template, "AWS::ApiGatewayV2::Route").map(([, route]) => {
        const integrationId = referencedId(route.Properties.Target["Fn::Join"][1][1]);
        return [route.Properties.RouteKey, referencedId(all[integrationId].Properties.IntegrationUri)];
      }),
    );
    const [tiles, image, exportsApi] = [aliasIdOf("tiles"), aliasIdOf("image"), aliasIdOf("exports")];
    const both = (path: string, alias: string) => ({ [`GET ${path}`]: alias, [`HEAD ${path}`]: alias });
    expect(aliasByRoute).toEqual({
      $default: tiles,
      ...both("/health", tiles),
      ...both("/meta", tiles),
      ...both("/point", tiles),
      ...both("/tiles/{proxy+}", tiles),
      ...both("/render.png", image),
      ...both("/render.jpg", image),
      ...both("/render.jpeg", image),
      ...both("/render.webp", image),
      "POST /exports": exportsApi,
      ...both("/exports/{id}", exportsApi),
    });
    const [[, stage]] = ofType(template, "AWS::ApiGatewayV2::Stage");
    expect(stage.Properties.DefaultRouteSettings).toEqual({
      ThrottlingRateLimit: config.apiThrottle.rateLimit,
      ThrottlingBurstLimit: config.apiThrottle.burstLimit,
    });
  });

  it("queues export parts for the worker's alias with a DLQ, a fitted visibility timeout and alarms", () => {
    const { template, names, all } = ctx();
    const [workerId, worker] = functionNamed(template, names.functionName("export-worker"));
    expect(worker.Properties.Timeout).toBe(EXPORT_QUEUE.workerTimeoutSeconds);
    const [aliasId] = aliasOf(template, workerId);
    const [[, mapping]] = ofType(template, "AWS::Lambda::EventSourceMapping");
    // Through the alias, never $LATEST; each message fails or succeeds alone.
    expect(JSON.stringify(mapping.Properties.FunctionName)).toContain(`{"Ref":"${aliasId}"}`);
    expect(JSON.stringify(mapping.Properties.FunctionName)).toContain(":live");
    expect(mapping.Properties.FunctionResponseTypes).toEqual(["ReportBatchItemFailures"]);
    const queue = all[referencedId(mapping.Properties.EventSourceArn)];
    expect(queue.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(6 * worker.Properties.Timeout);
    expect(queue.Properties.RedrivePolicy.maxReceiveCount).toBe(EXPORT_QUEUE.maxReceiveCount);
    const deadLetterId = referencedId(queue.Properties.RedrivePolicy.deadLetterTargetArn);
    expect(all[deadLetterId].Type).toBe("AWS::SQS::Queue");
    // The worker reads and puts the tile cache (aligned posters), never deletes it; the API touches none.
    const policyOf = (fn: Resource) =>
      JSON.stringify(
        ofType(template, "AWS::IAM::Policy")
          .filter(([, p]) =>
            p.Properties.Roles.some((r: unknown) => referencedId(r) === referencedId(fn.Properties.Role)),
          )
          .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as any[])
          .filter((st) => /\/(tiles|refs)\/\*/.test(JSON.stringify(st.Resource))),
      );
    expect(policyOf(worker)).toContain("/tiles/*");
    expect(policyOf(worker)).toContain("/refs/*");
    expect(policyOf(worker)).toContain("s3:PutObject");
    expect(policyOf(worker)).toContain("s3:GetObject*");
    expect(policyOf(worker)).not.toContain("s3:DeleteObject");
    // The exports API may send to the queue; the worker gets the bucket's name, not the queue's.
    const [, api] = functionNamed(template, names.functionName("exports"));
    expect(policyOf(api)).toBe("[]");
    expect(referencedId(api.Properties.Environment.Variables.EXPORT_QUEUE_URL)).toBe(
      referencedId(mapping.Properties.EventSourceArn),
    );
    const alarms = ofType(template, "AWS::CloudWatch::Alarm").map(([, a]) => a.Properties);
    const dlqAlarm = alarms.find((a) => a.AlarmName === `${names.alarmPrefix}exports-dead-letters`)!;
    expect(dlqAlarm).toMatchObject({
      MetricName: "ApproximateNumberOfMessagesVisible",
      Threshold: 1,
      TreatMissingData: "notBreaching",
    });
    expect(referencedId(dlqAlarm.Dimensions[0].Value)).toBe(deadLetterId);
    const ageAlarm = alarms.find((a) => a.AlarmName === `${names.alarmPrefix}exports-queue-age`)!;
    expect(ageAlarm).toMatchObject({
      MetricName: "ApproximateAgeOfOldestMessage",
      Threshold: EXPORT_ALARMS.oldestMessageSeconds,
    });
    const [[, bucket]] = ofType(template, "AWS::S3::Bucket").filter(([, b]) => b.Properties.LifecycleConfiguration);
    expect(bucket.Properties.LifecycleConfiguration.Rules).toContainEqual(
      expect.objectContaining({
        Id: "expire-exports",
        Prefix: "exports/",
        ExpirationInDays: EXPORT_QUEUE.expiryDays,
        Status: "Enabled",
      }),
    );
  });

  it("lets the tile function send slow deep tiles to the export queue, and nothing more", () => {
    const { template, names, all } = ctx();
    const [, tiles] = functionNamed(template, names.functionName("tiles"));
    const [[, mapping]] = ofType(template, "AWS::Lambda::EventSourceMapping");
    const queueId = referencedId(mapping.Properties.EventSourceArn);
    expect(referencedId(tiles.Properties.Environment.Variables.EXPORT_QUEUE_URL)).toBe(queueId);
    const statements = ofType(template, "AWS::IAM::Policy")
      .filter(([, p]) =>
        p.Properties.Roles.some((r: unknown) => referencedId(r) === referencedId(tiles.Properties.Role)),
      )
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as any[]);
    const sqs = statements.filter((st) => JSON.stringify(st.Action).includes("sqs:"));
    expect(sqs).toEqual([
      expect.objectContaining({
        Effect: "Allow",
        Action: "sqs:SendMessage",
        Resource: { "Fn::GetAtt": [queueId, "Arn"] },
      }),
    ]);
    expect(all[queueId].Type).toBe("AWS::SQS::Queue");
    // Its markers: read and put under pending/, expired by the bucket.
    const pending = JSON.stringify(
      statements.filter((st) => JSON.stringify(st.Resource).includes(`/${PENDING_PREFIX}*`)),
    );
    expect(pending).toContain("s3:PutObject");
    expect(pending).toContain("s3:GetObject*");
    expect(pending).not.toContain("s3:DeleteObject");
    const [[, bucket]] = ofType(template, "AWS::S3::Bucket").filter(([, b]) => b.Properties.LifecycleConfiguration);
    expect(bucket.Properties.LifecycleConfiguration.Rules).toContainEqual(
      expect.objectContaining({ Prefix: PENDING_PREFIX, ExpirationInDays: 1, Status: "Enabled" }),
    );
  });

  it("keeps buckets private and SSL-only, readable by this distribution only (OAC)", () => {
    const { template } = ctx();
    const buckets = ofType(template, "AWS::S3::Bucket");
    expect(buckets).toHaveLength(2);
    const [[distributionId, distribution]] = ofType(template, "AWS::CloudFront::Distribution");
    const origins = distribution.Properties.DistributionConfig.Origins as any[];
    for (const [bucketId, bucket] of buckets) {
      expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      const [, policy] = ofType(template, "AWS::S3::BucketPolicy").find(
        ([, p]) => referencedId(p.Properties.Bucket) === bucketId,
      )!;
      const statements = policy.Properties.PolicyDocument.Statement as any[];
      expect(statements).toContainEqual(
        expect.objectContaining({
          Effect: "Deny",
          Action: "s3:*",
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        }),
      );
      const publicAllows = statements.filter(
        (s) => s.Effect === "Allow" && (s.Principal === "*" || s.Principal?.AWS === "*"),
      );
      expect(publicAllows).toEqual([]);
      const cloudfrontRead = statements.find((s) => s.Principal?.Service === "cloudfront.amazonaws.com");
      expect(cloudfrontRead.Action).toBe("s3:GetObject");
      expect(JSON.stringify(cloudfrontRead.Condition.StringEquals["AWS:SourceArn"])).toContain(
        `{"Ref":"${distributionId}"}`,
      );
      const origin = origins.find((o) => referencedId(o.DomainName) === bucketId);
      expect(typeOfReferenced(template, origin.OriginAccessControlId)).toBe("AWS::CloudFront::OriginAccessControl");
      expect(origin.S3OriginConfig.OriginAccessIdentity).toBe("");
    }
  });

  it("expires tiles under tiles/ after the stage's retention and keeps or drops the bucket per stage", () => {
    const { template, names, config, all } = ctx();
    const [, tiles] = functionNamed(template, names.functionName("tiles"));
    const tileBucketId = referencedId(tiles.Properties.Environment.Variables.TILE_BUCKET);
    const bucket = all[tileBucketId];
    expect(bucket.Properties.LifecycleConfiguration.Rules).toContainEqual(
      expect.objectContaining({ Prefix: "tiles/", ExpirationInDays: config.tileExpiryDays, Status: "Enabled" }),
    );
    expect(bucket.Properties.LifecycleConfiguration.Rules).toContainEqual(
      expect.objectContaining({ Prefix: "refs/", ExpirationInDays: config.tileExpiryDays, Status: "Enabled" }),
    );
    expect(bucket.DeletionPolicy).toBe(config.retainTiles ? "Retain" : "Delete");
    const autoDelete = ofType(template, "Custom::S3AutoDeleteObjects").filter(
      ([, r]) => referencedId(r.Properties.BucketName) === tileBucketId,
    );
    expect(autoDelete).toHaveLength(config.retainTiles ? 0 : 1);
  });

  it("lets the tile function read and put tiles and reference orbits only, and invoke only its own aliases (live, rv-*)", () => {
    const { template, names } = ctx();
    const [, tiles] = functionNamed(template, names.functionName("tiles"));
    const roleId = referencedId(tiles.Properties.Role);
    const statements = ofType(template, "AWS::IAM::Policy")
      .filter(([, p]) => p.Properties.Roles.some((r: unknown) => referencedId(r) === roleId))
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as any[]);
    const actions = statements.flatMap((s) => [s.Action].flat());
    expect(actions).not.toContain("s3:DeleteObject*");
    expect(actions).toContain("s3:PutObject");
    expect(JSON.stringify(statements)).toContain("/tiles/*");
    // Deep tiles' reference orbits (functions/lib/tile-renderer.ts): without this every read is a fault.
    expect(JSON.stringify(statements)).toContain("/refs/*");
    const invoke = statements.filter((s) => [s.Action].flat().includes("lambda:InvokeFunction"));
    expect(invoke).toHaveLength(1);
    const targets = (invoke[0].Resource as unknown[]).map((r) => JSON.stringify(r));
    expect(targets).toHaveLength(2);
    expect(targets[0]).toMatch(new RegExp(`:function:fractile-${names.stage}-tiles:live"`));
    expect(targets[1]).toMatch(new RegExp(`:function:fractile-${names.stage}-tiles:rv-\\*"`));
  });

  it("warms the alias every 5 minutes with the warm-up event", () => {
    const { template, names, config } = ctx();
    const [rule] = ofType(template, "AWS::Events::Rule").map(([, r]) => r);
    expect(rule.Properties.ScheduleExpression).toBe("rate(5 minutes)");
    const [target] = rule.Properties.Targets;
    const [tilesId] = functionNamed(template, names.functionName("tiles"));
    expect(referencedId(target.Arn)).toBe(aliasOf(template, tilesId)[0]);
    expect(JSON.parse(target.Input)).toEqual({ fractile: "warmup", fanOut: config.warmFanOut, prefillMaxZoom: 3 });
  });

  it("serves tiles from S3 first and renders misses through the API, HTTPS only", () => {
    const { template } = ctx();
    const [[, distribution]] = ofType(template, "AWS::CloudFront::Distribution");
    const config = distribution.Properties.DistributionConfig;
    const behaviours = [config.DefaultCacheBehavior, ...config.CacheBehaviors];
    expect(behaviours.every((b: any) => b.ViewerProtocolPolicy === "redirect-to-https")).toBe(true);

    const tilesBehaviour = config.CacheBehaviors.find((b: any) => b.PathPattern === "/tiles/*");
    const group = config.OriginGroups.Items.find((g: any) => g.Id === tilesBehaviour.TargetOriginId);
    expect(group.FailoverCriteria.StatusCodes.Items.sort()).toEqual([403, 404]);
    const [primary, fallback] = group.Members.Items.map((m: any) =>
      config.Origins.find((o: any) => o.Id === m.OriginId),
    );
    expect(typeOfReferenced(template, primary.DomainName)).toBe("AWS::S3::Bucket");
    expect(primary.OriginAccessControlId).toBeDefined();
    expect(JSON.stringify(fallback.DomainName)).toContain("ApiEndpoint");
    expect(fallback.CustomOriginConfig.OriginProtocolPolicy).toBe("https-only");

    // Tiles from S3 get X-Fractile-Iterations from their metadata (stacks/parts/tile-headers.ts).
    const [association] = tilesBehaviour.FunctionAssociations;
    expect(association.EventType).toBe("viewer-response");
    const fn = resources(template)[referencedId(association.FunctionARN)];
    expect(fn.Type).toBe("AWS::CloudFront::Function");
    expect(fn.Properties.FunctionCode).toBe(TILE_HEADERS_FUNCTION_CODE);

    const ttlOf = (pattern: string | undefined) => {
      const behaviour = pattern
        ? config.CacheBehaviors.find((b: any) => b.PathPattern === pattern)
        : config.DefaultCacheBehavior;
      return resources(template)[referencedId(behaviour.CachePolicyId)].Properties.CachePolicyConfig;
    };
    expect(ttlOf("/tiles/*")).toMatchObject({ DefaultTTL: 365 * 86400, MinTTL: 0 });
    expect(ttlOf("/meta").MaxTTL).toBeLessThanOrEqual(60);
    expect(ttlOf(undefined).MaxTTL).toBeLessThanOrEqual(60); // index.html, config.json
    expect(config.CacheBehaviors.find((b: any) => b.PathPattern === "/health")).toBeDefined();
  });

  it("uploads hashed assets for a year and never prunes them, then index.html/config.json with no-cache", () => {
    const { template } = ctx();
    const deployments = ofType(template, "Custom::CDKBucketDeployment");
    expect(deployments).toHaveLength(2);
    const [assetsId, assets] = deployments.find(([, d]) => d.Properties.DestinationBucketKeyPrefix === "assets/")!;
    const [, pages] = deployments.find(([id]) => id !== assetsId)!;
    expect(assets.Properties.Prune).toBe(false);
    expect(assets.Properties.SystemMetadata).toEqual({ "cache-control": VIEWER_ASSETS_CACHE_CONTROL });
    expect(pages.Properties.SystemMetadata).toEqual({ "cache-control": "no-cache" });
    // Pruning the pages must never reach assets/*, and pages go up only after the assets they name.
    expect(pages.Properties.Exclude).toEqual(["assets/*"]);
    expect((pages as { DependsOn?: string[] }).DependsOn).toEqual(expect.arrayContaining([assetsId]));
    // config.json is written at deploy time with the distribution URL.
    expect(JSON.stringify(pages.Properties.SourceMarkers ?? [])).toContain("DomainName");
    expect(pages.Properties.DistributionPaths).toEqual(expect.arrayContaining(["/index.html", "/config.json"]));
  });

  it("sends security headers with the viewer and one CORS answer with tiles, whichever origin served them", () => {
    const { template, all } = ctx();
    const [[, distribution]] = ofType(template, "AWS::CloudFront::Distribution");
    const config = distribution.Properties.DistributionConfig;
    const policyOf = (pattern?: string) => {
      const behaviour = pattern
        ? config.CacheBehaviors.find((b: any) => b.PathPattern === pattern)
        : config.DefaultCacheBehavior;
      const policy = all[referencedId(behaviour.ResponseHeadersPolicyId)];
      expect(policy.Type).toBe("AWS::CloudFront::ResponseHeadersPolicy");
      return policy.Properties.ResponseHeadersPolicyConfig;
    };
    for (const pattern of [undefined, "/assets/*"]) {
      const security = policyOf(pattern).SecurityHeadersConfig;
      expect(security.ContentSecurityPolicy).toEqual({ ContentSecurityPolicy: VIEWER_CSP, Override: true });
      expect(security.StrictTransportSecurity.AccessControlMaxAgeSec).toBeGreaterThanOrEqual(365 * 86400);
      expect(security.ContentTypeOptions).toEqual({ Override: true });
      expect(security.FrameOptions).toEqual({ FrameOption: "DENY", Override: true });
      expect(security.ReferrerPolicy.ReferrerPolicy).toBe("strict-origin-when-cross-origin");
    }
    for (const pattern of ["/tiles/*", "/meta", "/health", "/render.*"]) {
      const policy = policyOf(pattern);
      expect(policy.CorsConfig).toMatchObject({
        AccessControlAllowOrigins: { Items: ["*"] },
        AccessControlAllowMethods: { Items: ["GET", "HEAD"] },
        AccessControlAllowCredentials: false,
        OriginOverride: true,
      });
      expect(policy.SecurityHeadersConfig.ContentTypeOptions).toEqual({ Override: true });
    }
  });

  it("has a CSP that allows everything the built viewer loads", () => {
    const html = readFileSync("web/dist/index.html", "utf8");
    const directive = (name: string) =>
      VIEWER_CSP.split("; ")
        .find((d) => d.startsWith(`${name} `))!
        .split(" ")
        .slice(1);
    // Scripts and stylesheets: relative URLs only (same origin), no inline script or style.
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag, tag).toMatch(/src="\.\/assets\//);
    expect(html).not.toMatch(/<style\b|\sstyle="/);
    expect(directive("script-src")).toEqual(["'self'"]);
    // The favicon and Leaflet's stylesheet icons are data: URIs.
    const css = readdirSync("web/dist/assets")
      .filter((f) => f.endsWith(".css"))
      .map((f) => readFileSync(join("web/dist/assets", f), "utf8"))
      .join("");
    const cssUrls = [...css.matchAll(/url\(([^)#][^)]*)\)/g)].map((m) => m[1].replace(/^["']/, ""));
    expect(
      cssUrls.every((u) => u.startsWith("data:") || !/^[a-z]+:/.test(u)),
      cssUrls.join(),
    ).toBe(true);
    expect(directive("img-src")).toEqual(["'self'", "data:"]);
    expect(directive("connect-src")).toEqual(["'self'"]);
  });

  it("has one dashboard with requests, cache hits, render ms p50/p99, errors by version and throttles", () => {
    const { template, names } = ctx();
    const [[, dashboard]] = ofType(template, "AWS::CloudWatch::Dashboard");
    expect(dashboard.Properties.DashboardName).toBe(names.dashboard);
    const body = JSON.stringify(dashboard.Properties.DashboardBody);
    for (const needle of [
      "TileRequests",
      "CacheHits",
      "RenderMs",
      "'p50'",
      "'p99'",
      "ServerErrors",
      "SlowTiles",
      "Throttles",
      "FunctionVersion",
    ]) {
      expect(body, needle).toContain(needle);
    }
  });

  it("passes cdk-nag AwsSolutions: no unsuppressed error or warning, every suppression has a reason", () => {
    const { annotations, all } = ctx();
    const describe = (ms: SynthesisMessage[]) => ms.map((m) => `${m.id}: ${String(m.entry.data).split("\n")[0]}`);
    expect(describe(annotations.findError("*", Match.stringLikeRegexp("AwsSolutions-.*")))).toEqual([]);
    expect(describe(annotations.findWarning("*", Match.stringLikeRegexp("AwsSolutions-.*")))).toEqual([]);
    const suppressions = Object.values(all).flatMap((r) => r.Metadata?.cdk_nag?.rules_to_suppress ?? []);
    expect(suppressions.length).toBeGreaterThan(0);
    for (const s of suppressions) expect(s.reason.length, s.id).toBeGreaterThan(40);
  });
}
