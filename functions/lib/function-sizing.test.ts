import { describe, expect, it } from "vitest";
import {
  DEEP_NS_PER_STEP,
  FUNCTION_TIMEOUT_SECONDS,
  ONE_VCPU_MB,
  REQUEST_PATH_LOOP_SHARE,
  busyCpus,
  deepThreadsFor,
  loopSeconds,
  maxRequestPathLoopSteps,
} from "./function-sizing";

describe("deepThreadsFor", () => {
  it("gives a Lambda's share of vCPUs, never more than the cores it sees", () => {
    expect(deepThreadsFor(ONE_VCPU_MB, 2)).toBe(1);
    expect(deepThreadsFor(3008, 2)).toBe(2); // 1.7 vCPUs
    expect(deepThreadsFor(10_240, 6)).toBe(6);
    expect(deepThreadsFor(10_240, 2)).toBe(2);
    expect(deepThreadsFor(128, 2)).toBe(1);
  });

  it("is 1 where the memory is unknown (local runs, tests)", () => {
    expect(deepThreadsFor(undefined, 8)).toBe(1);
    expect(deepThreadsFor(Number.NaN, 8)).toBe(1);
    expect(deepThreadsFor(0, 8)).toBe(1);
  });
});

describe("maxRequestPathLoopSteps", () => {
  it("grows with the vCPUs and the timeout, and shrinks where steps cost more (scaled deltas)", () => {
    const z = 44;
    const one = maxRequestPathLoopSteps(z, 1);
    expect(maxRequestPathLoopSteps(z, 2)).toBe(2 * one);
    expect(maxRequestPathLoopSteps(z, 1, 2 * FUNCTION_TIMEOUT_SECONDS.tiles)).toBe(2 * one);
    expect(maxRequestPathLoopSteps(DEEP_NS_PER_STEP.scaledFromZoom, 1)).toBeLessThan(one);
  });

  it("takes only REQUEST_PATH_LOOP_SHARE of the timeout at the measured ns per step", () => {
    for (const z of [44, 1000]) {
      const cpus = busyCpus(3008, deepThreadsFor(3008, 2));
      const steps = maxRequestPathLoopSteps(z, cpus);
      const seconds = loopSeconds(steps, z, cpus);
      expect(seconds).toBeLessThanOrEqual(REQUEST_PATH_LOOP_SHARE * FUNCTION_TIMEOUT_SECONDS.tiles);
      expect(seconds).toBeGreaterThan(0.99 * REQUEST_PATH_LOOP_SHARE * FUNCTION_TIMEOUT_SECONDS.tiles);
    }
  });

  it("counts a 3008 MB Lambda's 1.7 vCPUs, not its 2 threads", () => {
    expect(busyCpus(3008, 2)).toBeCloseTo(3008 / ONE_VCPU_MB, 9);
    expect(busyCpus(10_240, 2)).toBe(2);
    expect(busyCpus(undefined, 1)).toBe(1);
  });
});
