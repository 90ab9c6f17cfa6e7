import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { MAX_ZOOM, ValidationError, parseTileAddress } from "./index";

/** Runs the parser and returns the error it threw (failing the test if it did not throw one). */
function rejection(raw: Parameters<typeof parseTileAddress>[0]): ValidationError {
  try {
    parseTileAddress(raw);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return error as ValidationError;
  }
  throw new Error(`expected ${JSON.stringify(raw)} to be rejected`);
}

describe("parseTileAddress: valid addresses", () => {
  it("accepts zoom 0's single tile", () => {
    expect(parseTileAddress({ z: "0", x: "0", y: "0" })).toEqual({ z: 0, x: 0, y: 0, scale: 1 });
  });

  it("accepts the last tile of a zoom (x, y = 2^z − 1)", () => {
    expect(parseTileAddress({ z: "5", x: "31", y: "31" })).toEqual({ z: 5, x: 31, y: 31, scale: 1 });
  });

  it("accepts MAX_ZOOM and its last tile, exactly", () => {
    const last = 2 ** MAX_ZOOM - 1;
    expect(parseTileAddress({ z: String(MAX_ZOOM), x: String(last), y: "0" })).toEqual({ z: MAX_ZOOM, x: last, y: 0, scale: 1 });
  });

  it('reads scale "2" as an @2x tile and "1", "" or a missing scale as 1x', () => {
    expect(parseTileAddress({ z: "1", x: "1", y: "0", scale: "2" }).scale).toBe(2);
    expect(parseTileAddress({ z: "1", x: "1", y: "0", scale: "1" }).scale).toBe(1);
    expect(parseTileAddress({ z: "1", x: "1", y: "0", scale: "" }).scale).toBe(1);
    expect(parseTileAddress({ z: "1", x: "1", y: "0" }).scale).toBe(1);
  });
});

describe("parseTileAddress: invalid addresses name the field", () => {
  const badIntegers = ["", " ", " 1", "1 ", "\t1", "-1", "+1", "1.0", "1.5", "0x1", "1e3", "1E3", "01", "00", "Infinity", "NaN", "١", "1_000", "12345678901234567"];
  for (const bad of badIntegers) {
    it(`rejects z = ${JSON.stringify(bad)}`, () => {
      expect(rejection({ z: bad, x: "0", y: "0" }).field).toBe("z");
    });
    it(`rejects x = ${JSON.stringify(bad)} and y = ${JSON.stringify(bad)}`, () => {
      expect(rejection({ z: "3", x: bad, y: "0" }).field).toBe("x");
      expect(rejection({ z: "3", x: "0", y: bad }).field).toBe("y");
    });
  }

  it("rejects zooms above MAX_ZOOM, with the limit in the message", () => {
    const error = rejection({ z: String(MAX_ZOOM + 1), x: "0", y: "0" });
    expect(error.field).toBe("z");
    expect(error.message).toContain(String(MAX_ZOOM));
  });

  it("rejects x or y = 2^z (one past the last tile)", () => {
    expect(rejection({ z: "4", x: "16", y: "0" }).field).toBe("x");
    expect(rejection({ z: "4", x: "0", y: "16" }).field).toBe("y");
    expect(rejection({ z: "0", x: "1", y: "0" }).field).toBe("x");
  });

  it("rejects huge numbers before parsing them", () => {
    expect(rejection({ z: "9".repeat(10_000), x: "0", y: "0" }).field).toBe("z");
    expect(rejection({ z: "3", x: "9".repeat(400), y: "0" }).message).toMatch(/^x: must have at most \d+ digits$/);
  });

  it("rejects missing or non-string parts", () => {
    expect(rejection({ z: undefined, x: "0", y: "0" }).field).toBe("z");
    expect(rejection({ z: "1", x: 1, y: "0" }).field).toBe("x");
  });

  it("rejects scales other than 1 and 2", () => {
    for (const bad of ["3", "0", "2x", "@2x", " 2", "02", "1.0"]) {
      expect(rejection({ z: "1", x: "0", y: "0", scale: bad }).field).toBe("scale");
    }
  });

  it("says which rule was broken", () => {
    expect(rejection({ z: "1e3", x: "0", y: "0" }).message).toBe(
      "z: must be a non-negative integer in decimal digits, without sign, exponent or leading zeros",
    );
    expect(rejection({ z: "2", x: "4", y: "0" }).message).toBe("x: must be below 2^z = 4 at zoom 2");
  });
});

describe("parseTileAddress: any string input", () => {
  const part = fc.oneof(fc.string(), fc.stringMatching(/^[0-9]{1,20}$/), fc.constantFrom("0", "1", "2", "31", String(MAX_ZOOM)));

  it("gives a valid address or a ValidationError, nothing else", () => {
    fc.assert(
      fc.property(part, part, part, fc.option(part, { nil: undefined }), (z, x, y, scale) => {
        try {
          const address = parseTileAddress({ z, x, y, scale });
          expect(Number.isInteger(address.z) && address.z >= 0 && address.z <= MAX_ZOOM).toBe(true);
          expect(Number.isInteger(address.x) && address.x >= 0 && address.x < 2 ** address.z).toBe(true);
          expect(Number.isInteger(address.y) && address.y >= 0 && address.y < 2 ** address.z).toBe(true);
          expect([1, 2]).toContain(address.scale);
          expect(String(address.z)).toBe(z);
        } catch (error) {
          expect(error).toBeInstanceOf(ValidationError);
          expect(["z", "x", "y", "scale"]).toContain((error as ValidationError).field);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
