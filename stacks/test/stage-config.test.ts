import { describe, expect, it } from "vitest";
import { StageNameError, isPublishedVersion, isRenderVersionAlias, renderVersionAlias, stageNames } from "../naming";
import { stageConfig } from "../stage-config";

describe("stageConfig", () => {
  it("treats prod and staging as production-like and every other stage as personal", () => {
    expect(["prod", "staging", "alice", "pr-42"].map((stage) => stageConfig(stage).productionLike)).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });

  it("keeps prod's tiles on removal and nobody else's", () => {
    expect(["prod", "staging", "alice"].map((stage) => stageConfig(stage).retainTiles)).toEqual([true, false, false]);
  });

  it("caps personal stages below prod", () => {
    const [prod, alice] = [stageConfig("prod"), stageConfig("alice")];
    expect(alice.apiThrottle.rateLimit).toBeLessThan(prod.apiThrottle.rateLimit);
    expect(alice.apiThrottle.burstLimit).toBeLessThan(prod.apiThrottle.burstLimit);
  });
  it("reserves no concurrency by default: a reservation can exceed a new account's quota and fail the deploy", () => {
    for (const stage of ["prod", "staging", "alice"]) expect(stageConfig(stage).reservedConcurrency, stage).toEqual({});
  });
});

describe("stageNames", () => {
  it("derives every name the stack and the release CLIs share from the stage", () => {
    const names = stageNames("alice");
    expect([
      names.functionName("tiles"),
      names.deploymentApplication,
      names.deploymentGroup("image"),
      names.alarmName("tiles", "5xx-rate"),
    ]).toEqual(["fractile-alice-tiles", "fractile-alice", "fractile-alice-image", "fractile-alice.tiles-5xx-rate"]);
    expect(names.alarmName("image", "throttles").startsWith(names.alarmPrefix)).toBe(true);
  });
  it("gives each stage an alarm prefix no other stage's alarm names start with", () => {
    const prod = stageNames("prod");
    for (const other of ["prod-eu", "prod-tiles", "production"]) {
      for (const role of ["tiles", "image"] as const) {
        expect(stageNames(other).alarmName(role, "errors").startsWith(prod.alarmPrefix), other).toBe(false);
      }
    }
  });
  it("names the alias owning a render version, and only for names Lambda accepts as aliases", () => {
    expect(renderVersionAlias("r1-18a795e9")).toBe("rv-r1-18a795e9");
    expect(isRenderVersionAlias("rv-r1-18a795e9")).toBe(true);
    expect(isRenderVersionAlias("live")).toBe(false);
    for (const bad of ["r1.2", "", "a/b", "x".repeat(101)]) expect(renderVersionAlias(bad), bad).toBeUndefined();
    expect(["7", "12", "$LATEST", "live", "07", undefined].map((q) => isPublishedVersion(q))).toEqual([
      true,
      true,
      false,
      false,
      false,
      false,
    ]);
  });

  it.each(["", "Prod", "1st", "a_b", "x".repeat(31)])("rejects the stage name %j", (stage) => {
    expect(() => stageNames(stage)).toThrow(StageNameError);
  });
});
