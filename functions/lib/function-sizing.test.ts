import { describe, expect, it } from "vitest";
import { ONE_VCPU_MB, deepThreadsFor } from "./function-sizing";

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
