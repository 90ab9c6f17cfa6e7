import { CloudWatchClient, DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import {
  BatchGetDeploymentsCommand,
  CodeDeployClient,
  type DeploymentInfo,
  DeploymentGroupDoesNotExistException,
  ListDeploymentsCommand,
  StopDeploymentCommand,
} from "@aws-sdk/client-codedeploy";
import { GetAliasCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { stageNames } from "../../stacks/naming";
import { UsageError, parseReleaseArgs } from "./args";
import { chooseDeployment } from "./deployments";
import { NothingToRollBackError, formatStopped, rollBackRunningDeployments } from "./rollback";
import { aliasWeights, formatReleaseStatus, readReleaseStatus } from "./status";

const lambda = mockClient(LambdaClient);
const codedeploy = mockClient(CodeDeployClient);
const cloudwatch = mockClient(CloudWatchClient);
const clients = () => ({ lambda: new LambdaClient({}), codedeploy: new CodeDeployClient({}), cloudwatch: new CloudWatchClient({}) });
const prod = stageNames("prod");

function deployment(id: string, status: DeploymentInfo["status"], minutesAgo: number, extra: Partial<DeploymentInfo> = {}): DeploymentInfo {
  return { deploymentId: id, status, createTime: new Date(Date.UTC(2026, 0, 1, 12, 0) - minutesAgo * 60_000), ...extra };
}

beforeEach(() => {
  lambda.reset();
  codedeploy.reset();
  cloudwatch.reset();
});

describe("parseReleaseArgs", () => {
  it("reads the stage and defaults to both functions", () => {
    expect(parseReleaseArgs(["--stage", "prod"])).toEqual({ stage: "prod", roles: ["tiles", "image"], region: undefined });
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
    codedeploy
      .on(ListDeploymentsCommand, { applicationName: "fractile-prod", deploymentGroupName: "fractile-prod-tiles" })
      .resolves({ deployments: ["d-1", "d-2"] });
    codedeploy.on(BatchGetDeploymentsCommand, { deploymentIds: ["d-1", "d-2"] }).resolves({
      deploymentsInfo: [
        deployment("d-1", "Succeeded", 600),
        deployment("d-2", "InProgress", 2, { deploymentConfigName: "CodeDeployDefault.LambdaLinear10PercentEvery1Minute" }),
      ],
    });
    cloudwatch
      .on(DescribeAlarmsCommand, { AlarmNamePrefix: "fractile-prod-", NextToken: undefined })
      .resolves({
        MetricAlarms: [{ AlarmName: "fractile-prod-tiles-5xx-rate", StateValue: "OK", StateReason: "fine" }],
        NextToken: "page-2",
      })
      .on(DescribeAlarmsCommand, { AlarmNamePrefix: "fractile-prod-", NextToken: "page-2" })
      .resolves({
        MetricAlarms: [{ AlarmName: "fractile-prod-tiles-p99-duration", StateValue: "ALARM", StateReason: "p99 6100 > 5000" }],
      });

    const status = await readReleaseStatus(clients(), prod, ["tiles"]);

    expect(status.functions[0].weights).toEqual([
      { version: "7", percent: 80 },
      { version: "8", percent: 20 },
    ]);
    expect(status.functions[0].deployment?.deploymentId).toBe("d-2");
    expect(status.alarms.map((a) => a.name)).toEqual(["fractile-prod-tiles-5xx-rate", "fractile-prod-tiles-p99-duration"]);

    const text = formatReleaseStatus(status, new Date(Date.UTC(2026, 0, 1, 12, 0)));
    expect(text).toContain("live: v7 80%, v8 20%");
    expect(text).toContain("deployment d-2 InProgress (started 120 s ago), CodeDeployDefault.LambdaLinear10PercentEvery1Minute");
    expect(text).toMatch(/ALARM\s+fractile-prod-tiles-p99-duration: p99 6100 > 5000/);
    expect(text).not.toContain("fine");
  });

  it("reports a stage that was never deployed instead of crashing", async () => {
    lambda.on(GetAliasCommand).rejects(Object.assign(new Error("Function not found"), { name: "ResourceNotFoundException" }));
    codedeploy.on(ListDeploymentsCommand).rejects(
      new DeploymentGroupDoesNotExistException({ message: "No Deployment Group found", $metadata: {} }),
    );
    cloudwatch.on(DescribeAlarmsCommand).resolves({});

    const status = await readReleaseStatus(clients(), stageNames("alice"), ["tiles", "image"]);
    const text = formatReleaseStatus(status);

    expect(status.functions.map((f) => f.problems.length)).toEqual([2, 2]);
    expect(text).toContain("! alias fractile-alice-tiles:live: ResourceNotFoundException: Function not found");
    expect(text).toContain("! deployment group fractile-alice-image: DeploymentGroupDoesNotExistException");
    expect(text).toContain("alarms: none named fractile-alice-*");
  });
});

describe("rollBackRunningDeployments", () => {
  it("stops only running deployments, asking CodeDeploy to roll back", async () => {
    codedeploy
      .on(ListDeploymentsCommand, { deploymentGroupName: "fractile-prod-tiles" })
      .resolves({ deployments: ["d-run"] })
      .on(ListDeploymentsCommand, { deploymentGroupName: "fractile-prod-image" })
      .resolves({ deployments: [] });
    codedeploy.on(BatchGetDeploymentsCommand).resolves({ deploymentsInfo: [deployment("d-run", "InProgress", 3)] });
    codedeploy.on(StopDeploymentCommand).resolves({ status: "Pending", statusMessage: "Stopping" });

    const stopped = await rollBackRunningDeployments(new CodeDeployClient({}), prod, ["tiles", "image"]);

    const listCalls = codedeploy.commandCalls(ListDeploymentsCommand);
    expect(listCalls.every((c) => c.args[0].input.includeOnlyStatuses?.includes("InProgress"))).toBe(true);
    expect(listCalls.every((c) => !c.args[0].input.includeOnlyStatuses?.includes("Succeeded"))).toBe(true);
    const stops = codedeploy.commandCalls(StopDeploymentCommand).map((c) => c.args[0].input);
    expect(stops).toEqual([{ deploymentId: "d-run", autoRollbackEnabled: true }]);
    expect(formatStopped(stopped)).toBe("tiles: stopped d-run with rollback (Pending: Stopping)");
  });

  it("fails clearly when nothing is running", async () => {
    codedeploy.on(ListDeploymentsCommand).resolves({ deployments: [] });

    const attempt = rollBackRunningDeployments(new CodeDeployClient({}), prod, ["tiles", "image"]);

    await expect(attempt).rejects.toThrow(NothingToRollBackError);
    await expect(attempt).rejects.toThrow(/no deployment is running in fractile-prod-tiles, fractile-prod-image/);
    expect(codedeploy.commandCalls(StopDeploymentCommand)).toHaveLength(0);
  });
});
