import { CloudWatchClient, DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import {
  BatchGetDeploymentsCommand,
  CodeDeployClient,
  CreateDeploymentCommand,
  type DeploymentInfo,
  DeploymentGroupDoesNotExistException,
  GetApplicationRevisionCommand,
  ListDeploymentsCommand,
  StopDeploymentCommand,
} from "@aws-sdk/client-codedeploy";
import {
  GetAliasCommand,
  GetFunctionConfigurationCommand,
  LambdaClient,
  ListAliasesCommand,
} from "@aws-sdk/client-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { stageNames } from "../../stacks/naming";
import { UsageError, parseReleaseArgs } from "./args";
import { chooseDeployment, listDeployments } from "./deployments";
import { NothingToRollBackError, appSpecVersions, formatRollback, lambdaAppSpec, rollBack } from "./rollback";
import { aliasWeights, formatReleaseStatus, readReleaseStatus } from "./status";

const lambda = mockClient(LambdaClient);
const codedeploy = mockClient(CodeDeployClient);
const cloudwatch = mockClient(CloudWatchClient);
const clients = () => ({
  lambda: new LambdaClient({}),
  codedeploy: new CodeDeployClient({}),
  cloudwatch: new CloudWatchClient({}),
});
const prod = stageNames("prod");

function deployment(
  id: string,
  status: DeploymentInfo["status"],
  minutesAgo: number,
  extra: Partial<DeploymentInfo> = {},
): DeploymentInfo {
  return {
    deploymentId: id,
    status,
    createTime: new Date(Date.UTC(2026, 0, 1, 12, 0) - minutesAgo * 60_000),
    ...extra,
  };
}

beforeEach(() => {
  lambda.reset();
  codedeploy.reset();
  cloudwatch.reset();
});

describe("parseReleaseArgs", () => {
  it("reads the stage and defaults to both functions", () => {
    expect(parseReleaseArgs(["--stage", "prod"])).toEqual({
      stage: "prod",
      roles: ["tiles", "image"],
      region: undefined,
    });
    expect(parseReleaseArgs(["--stage=alice", "--role", "image", "--region", "eu-west-1"])).toEqual({
      stage: "alice",
      roles: ["image"],
      region: "eu-west-1",
    });
  });

  it.each([
    [[], /--stage is required/],
    [["--stage"], /--stage/],
    [["--stage", "Prod!"], /--stage: stage must be/],
    [["--stage", "prod", "--role", "tile"], /--role must be one of tiles, image; got "tile"/],
    [["--stage", "prod", "--force"], /--force/],
    [["prod"], /prod/],
  ])("rejects %j with a usage error", (argv, message) => {
    expect(() => parseReleaseArgs(argv)).toThrow(UsageError);
    expect(() => parseReleaseArgs(argv)).toThrow(message);
  });
});

describe("aliasWeights", () => {
  it("gives the primary version what the shifted version does not have", () => {
    expect(aliasWeights("7", { "8": 0.3 })).toEqual([
      { version: "7", percent: 70 },
      { version: "8", percent: 30 },
    ]);
    expect(aliasWeights("8", { "9": 0.9 })[0]).toEqual({ version: "9", percent: 90 });
    expect(aliasWeights("8")).toEqual([{ version: "8", percent: 100 }]);
  });
});

describe("chooseDeployment", () => {
  it("prefers the newest running deployment over newer finished ones", () => {
    const chosen = chooseDeployment([
      deployment("d-old", "Succeeded", 60),
      deployment("d-running", "InProgress", 5),
      deployment("d-newer-failed", "Failed", 1),
    ]);
    expect(chosen?.deploymentId).toBe("d-running");
  });

  it("falls back to the newest deployment when none is running", () => {
    expect(chooseDeployment([deployment("a", "Succeeded", 60), deployment("b", "Stopped", 2)])?.deploymentId).toBe("b");
    expect(chooseDeployment([])).toBeUndefined();
  });
});

describe("readReleaseStatus", () => {
  it("reads weights, the running deployment and the stage's alarms by name prefix", async () => {
    lambda.on(GetAliasCommand, { FunctionName: "fractile-prod-tiles", Name: "live" }).resolves({
      FunctionVersion: "7",
      RoutingConfig: { AdditionalVersionWeights: { "8": 0.2 } },
    });
    lambda
      .on(ListAliasesCommand, { FunctionName: "fractile-prod-tiles", Marker: undefined })
      .resolves({
        Aliases: [
          { Name: "live", FunctionVersion: "7" },
          { Name: "rv-r1-old", FunctionVersion: "7" },
        ],
        NextMarker: "m2",
      })
      .on(ListAliasesCommand, { FunctionName: "fractile-prod-tiles", Marker: "m2" })
      .resolves({ Aliases: [{ Name: "rv-r2-new", FunctionVersion: "8" }] });
    codedeploy
      .on(ListDeploymentsCommand, { applicationName: "fractile-prod", deploymentGroupName: "fractile-prod-tiles" })
      .resolves({ deployments: ["d-1", "d-2"] });
    codedeploy.on(BatchGetDeploymentsCommand, { deploymentIds: ["d-1", "d-2"] }).resolves({
      deploymentsInfo: [
        deployment("d-1", "Succeeded", 600),
        deployment("d-2", "InProgress", 2, {
          deploymentConfigName: "CodeDeployDefault.LambdaLinear10PercentEvery1Minute",
        }),
      ],
    });
    cloudwatch
      .on(DescribeAlarmsCommand, { AlarmNamePrefix: "fractile-prod.", NextToken: undefined })
      .resolves({
        MetricAlarms: [{ AlarmName: "fractile-prod.tiles-5xx-rate", StateValue: "OK", StateReason: "fine" }],
        NextToken: "page-2",
      })
      .on(DescribeAlarmsCommand, { AlarmNamePrefix: "fractile-prod.", NextToken: "page-2" })
      .resolves({
        MetricAlarms: [
          { AlarmName: "fractile-prod.tiles-p99-duration", StateValue: "ALARM", StateReason: "p99 6100 > 5000" },
        ],
      });

    const status = await readReleaseStatus(clients(), prod, ["tiles"]);

    expect(status.functions[0].weights).toEqual([
      { version: "7", percent: 80 },
      { version: "8", percent: 20 },
    ]);
    expect(status.functions[0].deployment?.deploymentId).toBe("d-2");
    expect(status.alarms.map((a) => a.name)).toEqual([
      "fractile-prod.tiles-5xx-rate",
      "fractile-prod.tiles-p99-duration",
    ]);

    const text = formatReleaseStatus(status, new Date(Date.UTC(2026, 0, 1, 12, 0)));
    expect(text).toContain("live: v7 80%, v8 20%");
    expect(text).toContain("render version owners: rv-r2-new -> v8, rv-r1-old -> v7");
    expect(text).toContain(
      "deployment d-2 InProgress (started 120 s ago), CodeDeployDefault.LambdaLinear10PercentEvery1Minute",
    );
    expect(text).toMatch(/ALARM\s+fractile-prod\.tiles-p99-duration: p99 6100 > 5000/);
    expect(text).not.toContain("fine");
  });

  it("reports a stage that was never deployed instead of crashing", async () => {
    lambda
      .on(GetAliasCommand)
      .rejects(Object.assign(new Error("Function not found"), { name: "ResourceNotFoundException" }));
    codedeploy
      .on(ListDeploymentsCommand)
      .rejects(new DeploymentGroupDoesNotExistException({ message: "No Deployment Group found", $metadata: {} }));
    cloudwatch.on(DescribeAlarmsCommand).resolves({});

    const status = await readReleaseStatus(clients(), stageNames("alice"), ["tiles", "image"]);
    const text = formatReleaseStatus(status);

    expect(status.functions.map((f) => f.problems.length)).toEqual([2, 2]);
    expect(text).toContain("! alias fractile-alice-tiles:live: ResourceNotFoundException: Function not found");
    expect(text).toContain("! deployment group fractile-alice-image: DeploymentGroupDoesNotExistException");
    expect(text).toContain("alarms: none named fractile-alice.*");
  });
});

describe("listDeployments", () => {
  it("follows nextToken through every page and asks BatchGetDeployments at most 25 ids at a time", async () => {
    const ids = Array.from({ length: 30 }, (_, i) => `d-${i}`);
    codedeploy
      .on(ListDeploymentsCommand, { nextToken: undefined })
      .resolves({ deployments: ids.slice(0, 20), nextToken: "t2" })
      .on(ListDeploymentsCommand, { nextToken: "t2" })
      .resolves({ deployments: ids.slice(20) });
    codedeploy.on(BatchGetDeploymentsCommand).callsFake(async ({ deploymentIds }: { deploymentIds: string[] }) => ({
      // d-29 (on the second page) is the newest.
      deploymentsInfo: deploymentIds.map((id) => deployment(id, "Succeeded", 100 - Number(id.slice(2)))),
    }));
    const listed = await listDeployments(new CodeDeployClient({}), prod, "tiles", false);
    expect(listed).toHaveLength(30);
    expect(listed[0].deploymentId).toBe("d-29");
    expect(
      codedeploy.commandCalls(BatchGetDeploymentsCommand).map((c) => c.args[0].input.deploymentIds!.length),
    ).toEqual([25, 5]);
  });
});

describe("rollBack", () => {
  const appSpec = (current: string, target: string) => ({
    revisionType: "AppSpecContent" as const,
    appSpecContent: { content: lambdaAppSpec("fractile-prod-tiles", current, target) },
  });

  it("stops a running release with rollback", async () => {
    codedeploy.on(ListDeploymentsCommand).resolves({ deployments: ["d-run", "d-old"] });
    codedeploy.on(BatchGetDeploymentsCommand).resolves({
      deploymentsInfo: [deployment("d-run", "InProgress", 3), deployment("d-old", "Succeeded", 600)],
    });
    codedeploy.on(StopDeploymentCommand).resolves({ status: "Pending", statusMessage: "Stopping" });
    const actions = await rollBack(clients(), prod, ["tiles"]);
    expect(codedeploy.commandCalls(StopDeploymentCommand).map((c) => c.args[0].input)).toEqual([
      { deploymentId: "d-run", autoRollbackEnabled: true },
    ]);
    expect(codedeploy.commandCalls(CreateDeploymentCommand)).toHaveLength(0);
    expect(formatRollback(actions)).toBe("tiles: stopped d-run with rollback (Pending: Stopping)");
  });

  it("undoes a finished release with a CodeDeploy deployment from live's version back to the one before", async () => {
    lambda
      .on(GetAliasCommand, { FunctionName: "fractile-prod-tiles", Name: "live" })
      .resolves({ FunctionVersion: "9" });
    lambda
      .on(GetFunctionConfigurationCommand, { FunctionName: "fractile-prod-tiles", Qualifier: "7" })
      .resolves({ Version: "7" });
    codedeploy.on(ListDeploymentsCommand).resolves({ deployments: ["d-9", "d-8", "d-7"] });
    codedeploy.on(BatchGetDeploymentsCommand).resolves({
      deploymentsInfo: [
        // 8 failed and was rolled back, so 9 was released over 7.
        deployment("d-9", "Succeeded", 10, { revision: appSpec("7", "9") }),
        deployment("d-8", "Failed", 60, { revision: appSpec("7", "8") }),
        deployment("d-7", "Succeeded", 600, { revision: appSpec("6", "7") }),
      ],
    });
    codedeploy.on(CreateDeploymentCommand).resolves({ deploymentId: "d-back" });
    const actions = await rollBack(clients(), prod, ["tiles"]);
    const [create] = codedeploy.commandCalls(CreateDeploymentCommand).map((c) => c.args[0].input);
    expect(create).toMatchObject({
      applicationName: "fractile-prod",
      deploymentGroupName: "fractile-prod-tiles",
      deploymentConfigName: "CodeDeployDefault.LambdaAllAtOnce",
      revision: { revisionType: "AppSpecContent" },
    });
    expect(JSON.parse(create.revision!.appSpecContent!.content!)).toEqual({
      version: 0,
      Resources: [
        {
          "fractile-prod-tiles": {
            Type: "AWS::Lambda::Function",
            Properties: { Name: "fractile-prod-tiles", Alias: "live", CurrentVersion: "9", TargetVersion: "7" },
          },
        },
      ],
    });
    expect(codedeploy.commandCalls(StopDeploymentCommand)).toHaveLength(0);
    expect(formatRollback(actions)).toContain("tiles: deployment d-back moves live from version 9 back to 7");
  });

  it("reads the AppSpec from the stored revision when the deployment does not carry it", async () => {
    lambda.on(GetAliasCommand).resolves({ FunctionVersion: "4" });
    lambda.on(GetFunctionConfigurationCommand).resolves({});
    codedeploy.on(ListDeploymentsCommand).resolves({ deployments: ["d-4"] });
    const stored = { revisionType: "S3" as const, s3Location: { bucket: "b", key: "k" } };
    codedeploy
      .on(BatchGetDeploymentsCommand)
      .resolves({ deploymentsInfo: [deployment("d-4", "Succeeded", 5, { revision: stored })] });
    codedeploy.on(GetApplicationRevisionCommand).resolves({
      revision: {
        revisionType: "String",
        string: {
          content: "Resources:\n  - f:\n      Properties:\n        CurrentVersion: '3'\n        TargetVersion: '4'\n",
        },
      },
    });
    codedeploy.on(CreateDeploymentCommand).resolves({ deploymentId: "d-back" });
    const [action] = await rollBack(clients(), prod, ["image"]);
    expect(action).toMatchObject({ kind: "redeployed", fromVersion: "4", toVersion: "3" });
  });

  it("refuses, naming the reason, when the version before was pruned or no release put live's version there", async () => {
    lambda.on(GetAliasCommand).resolves({ FunctionVersion: "9" });
    lambda
      .on(GetFunctionConfigurationCommand)
      .rejects(Object.assign(new Error("gone"), { name: "ResourceNotFoundException" }));
    codedeploy.on(ListDeploymentsCommand).resolves({ deployments: ["d-9"] });
    codedeploy
      .on(BatchGetDeploymentsCommand)
      .resolves({ deploymentsInfo: [deployment("d-9", "Succeeded", 5, { revision: appSpec("2", "9") })] });
    await expect(rollBack(clients(), prod, ["tiles"])).rejects.toThrow(/version 2, the one before 9, no longer exists/);

    codedeploy
      .on(BatchGetDeploymentsCommand)
      .resolves({ deploymentsInfo: [deployment("d-9", "Succeeded", 5, { revision: appSpec("8", "5") })] });
    const attempt = rollBack(clients(), prod, ["tiles"]);
    await expect(attempt).rejects.toThrow(NothingToRollBackError);
    await expect(attempt).rejects.toThrow(/no successful deployment in fractile-prod-tiles put version 9 live/);
    expect(codedeploy.commandCalls(CreateDeploymentCommand)).toHaveLength(0);
  });
});

describe("appSpecVersions", () => {
  it("reads the versions from the JSON AppSpec it writes and from YAML", () => {
    expect(appSpecVersions(lambdaAppSpec("f", "12", "11"))).toEqual({ currentVersion: "12", targetVersion: "11" });
    expect(appSpecVersions('CurrentVersion: 3\nTargetVersion: "4"')).toEqual({
      currentVersion: "3",
      targetVersion: "4",
    });
  });
});
