import { describe, expect, it } from "vitest";
import { StageNameError, stageNames } from "../naming";
import { stageConfig } from "../stage-config";

describe("stageConfig", () => {
  it("treats prod and staging as production-like and every other stage as personal", () => {
    expect(["prod", "staging", "alice", "pr-42"].map((stage) => stageConfig(stage).productionLike)).toEqual([true, true, false, false]);
  });

  it("keeps prod's tiles on removal and nobody else's", () => {
    expect(["prod", "staging", "alice"].map((stage) => stageConfig(stage).retainTiles)).toEqual([true, false, false]);
  });

  it("caps personal stages below prod", () => {
    const [prod, alice] = [stageConfig("prod"), stageConfig("alice")];
    expect(alice.apiThrottle.rateLimit).toBeLessThan(prod.apiThrottle.rateLimit);
    expect(alice.reservedConcurrency.tiles).toBeLessThan(prod.reservedConcurrency.tiles);
  });
});

describe("stageNames", () => {
  it("derives every name the stack and the release CLIs share from the stage", () => {
    const names = stageNames("alice");
    expect([names.functionName("tiles"), names.deploymentApplication, names.deploymentGroup("image"), names.alarmName("tiles", "5xx-rate")]).toEqual([
      "fractile-alice-tiles",
      "fractile-alice",
      "fractile-alice-image",
      "fractile-alice-tiles-5xx-rate",
    ]);
    expect(names.alarmName("image", "throttles").startsWith(names.alarmPrefix)).toBe(true);
  });

  it.each(["", "Prod", "1st", "a_b", "x".repeat(31)])("rejects the stage name %j", (stage) => {
    expect(() => stageNames(stage)).toThrow(StageNameError);
  });
});
