import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { MAX_ZOOM, ValidationError, encodeTileIndex, maxIndexDigits, parseTileAddress } from "./index";

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

const tilesPerSide = (z: number) => 1n << BigInt(z);

describe("parseTileAddress: valid addresses", () => {
  it("accepts zoom 0's single tile", () => {
    expect(parseTileAddress({ z: "0", x: "0", y: "0" })).toEqual({ z: 0, x: 0n, y: 0n, scale: 1 });
  });

  it("reads x and y in base 36 (digits 0-9 then a-z)", () => {
    expect(parseTileAddress({ z: "6", x: "z", y: "10" })).toEqual({ z: 6, x: 35n, y: 36n, scale: 1 });
    expect(parseTileAddress({ z: "12", x: "a", y: "2zz" })).toEqual({
      z: 12,
      x: 10n,
      y: 2n * 36n * 36n + 35n * 36n + 35n,
      scale: 1,
    });
  });

  it("accepts the last tile of a zoom (x, y = 2^z − 1)", () => {
    expect(parseTileAddress({ z: "5", x: "v", y: "v" })).toEqual({ z: 5, x: 31n, y: 31n, scale: 1 });
  });

  it("accepts MAX_ZOOM and its last tile, exactly", () => {
    const last = tilesPerSide(MAX_ZOOM) - 1n;
    const spelled = last.toString(36);
    expect(spelled.length).toBe(maxIndexDigits(MAX_ZOOM));
    expect(parseTileAddress({ z: String(MAX_ZOOM), x: spelled, y: "0" })).toEqual({
      z: MAX_ZOOM,
      x: last,
      y: 0n,
      scale: 1,
    });
  });

  it('reads scale "2" as an @2x tile and "1", "" or a missing scale as 1x', () => {
    expect(parseTileAddress({ z: "1", x: "1", y: "0", scale: "2" }).scale).toBe(2);
    expect(parseTileAddress({ z: "1", x: "1", y: "0", scale: "1" }).scale).toBe(1);
    expect(parseTileAddress({ z: "1", x: "1", y: "0", scale: "" }).scale).toBe(1);
    expect(parseTileAddress({ z: "1", x: "1", y: "0" }).scale).toBe(1);
  });
});

describe("parseTileAddress: invalid addresses name the field", () => {
  const badEverywhere = [
    "",
    " ",
    " 1",
    "1 ",
    "\t1",
    "-1",
    "+1",
    "1.0",
    "1.5",
    "0x1",
    "1e-3",
    "01",
    "00",
    "NaN",
    "١",
    "1_000",
    "A",
    "1F",
  ];
  for (const bad of badEverywhere) {
    it(`rejects z = ${JSON.stringify(bad)}, x = ${JSON.stringify(bad)} and y = ${JSON.stringify(bad)}`, () => {
      expect(rejection({ z: bad, x: "0", y: "0" }).field).toBe("z");
      expect(rejection({ z: "30", x: bad, y: "0" }).field).toBe("x");
      expect(rejection({ z: "30", x: "0", y: bad }).field).toBe("y");
    });
  }

  it("rejects base-36 letters in z (z stays decimal)", () => {
    expect(rejection({ z: "1e3", x: "0", y: "0" }).field).toBe("z");
    expect(rejection({ z: "a", x: "0", y: "0" }).field).toBe("z");
  });

  it("rejects zooms above MAX_ZOOM, with the limit in the message", () => {
    const error = rejection({ z: String(MAX_ZOOM + 1), x: "0", y: "0" });
    expect(error.field).toBe("z");
    expect(error.message).toContain(String(MAX_ZOOM));
  });

  it("rejects x or y = 2^z (one past the last tile)", () => {
    expect(rejection({ z: "4", x: "g", y: "0" }).field).toBe("x");
    expect(rejection({ z: "4", x: "0", y: "g" }).field).toBe("y");
    expect(rejection({ z: "0", x: "1", y: "0" }).field).toBe("x");
    const past = encodeTileIndex(tilesPerSide(MAX_ZOOM));
    expect(rejection({ z: String(MAX_ZOOM), x: past, y: "0" }).field).toBe("x");
  });

  it("rejects huge strings before converting them", () => {
    expect(rejection({ z: "9".repeat(10_000), x: "0", y: "0" }).field).toBe("z");
    expect(rejection({ z: "3", x: "z".repeat(100_000), y: "0" }).message).toMatch(/^x: must have at most \d+ digits$/);
  });

  it("rejects missing or non-string parts", () => {
    expect(rejection({ z: undefined, x: "0", y: "0" }).field).toBe("z");
    expect(rejection({ z: "1", x: 1, y: "0" }).field).toBe("x");
    expect(rejection({ z: "1", x: "0", y: 0n }).field).toBe("y");
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
    expect(rejection({ z: "9", x: "Z", y: "0" }).message).toBe(
      "x: must be a non-negative integer in base 36 (digits 0-9 then a-z, lower case), without sign or leading zeros",
    );
    expect(rejection({ z: "2", x: "4", y: "0" }).message).toBe("x: must be below 2^z at zoom 2");
  });
});

describe("parseTileAddress: any string input", () => {
  const zoom = fc.integer({ min: 0, max: MAX_ZOOM });
  const part = fc.oneof(
    fc.string(),
    fc.stringMatching(/^[0-9a-zA-Z]{1,40}$/),
    fc.constantFrom("0", "1", "2", "31", "z", "10", String(MAX_ZOOM)),
    zoom.map(String),
    // Valid spellings of indices up to MAX_ZOOM's range, so deep addresses are exercised too.
    fc.bigInt({ min: 0n, max: tilesPerSide(MAX_ZOOM) - 1n }).map(encodeTileIndex),
  );

  it("gives a valid address or a ValidationError, nothing else", () => {
    fc.assert(
      fc.property(part, part, part, fc.option(part, { nil: undefined }), (z, x, y, scale) => {
        try {
          const address = parseTileAddress({ z, x, y, scale });
          expect(Number.isInteger(address.z) && address.z >= 0 && address.z <= MAX_ZOOM).toBe(true);
          expect(address.x >= 0n && address.x < tilesPerSide(address.z)).toBe(true);
          expect(address.y >= 0n && address.y < tilesPerSide(address.z)).toBe(true);
          expect([1, 2]).toContain(address.scale);
          // One spelling per tile: the accepted text is the canonical one.
          expect(String(address.z)).toBe(z);
          expect(encodeTileIndex(address.x)).toBe(x);
          expect(encodeTileIndex(address.y)).toBe(y);
        } catch (error) {
          expect(error).toBeInstanceOf(ValidationError);
          expect(["z", "x", "y", "scale"]).toContain((error as ValidationError).field);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it("reads back every tile of any zoom from its canonical spelling", () => {
    const tile = zoom.chain((z) =>
      fc.record({
        z: fc.constant(z),
        x: fc.bigInt({ min: 0n, max: tilesPerSide(z) - 1n }),
        y: fc.bigInt({ min: 0n, max: tilesPerSide(z) - 1n }),
      }),
    );
    fc.assert(
      fc.property(tile, ({ z, x, y }) => {
        expect(parseTileAddress({ z: String(z), x: encodeTileIndex(x), y: encodeTileIndex(y) })).toEqual({
          z,
          x,
          y,
          scale: 1,
        });
      }),
      { numRuns: 1000 },
    );
  });
});
