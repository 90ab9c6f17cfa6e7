import { describe, expect, it } from "vitest";
import { formatComplex, formatMagnification } from "./readouts";

describe("readouts", () => {
  it("writes a complex number with a real minus sign and the zoom's digits", () => {
    expect(formatComplex(-0.75, 0.1, 0)).toBe("−0.75 + 0.1i");
    expect(formatComplex(0.25, -0.123456789, 0)).toBe("0.25 − 0.1235i");
    expect(formatComplex(0.25, -0.123456789, 10)).toBe("0.25 − 0.12345679i");
  });

  it("gives the magnification to three significant digits at any depth", () => {
    expect(formatMagnification(0)).toBe("×1");
    expect(formatMagnification(3.25)).toBe("×9.51");
    expect(formatMagnification(32)).toBe("×4.29e+9");
  });
});
