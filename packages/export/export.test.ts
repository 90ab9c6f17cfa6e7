import fc from "fast-check";
import { PNG } from "pngjs";
import { describe, expect, it } from "vitest";
import { colourTable } from "../colour/index";
import { ValidationError, pixelSizeOfZoom, renderViewIndices, validateView } from "../render/index";
import { EXPORT_LIMITS, FORMAT_LIMITS, formatSizeProblem } from "./limits";
import { advance, isJobId, statusView, type JobRecord } from "./job";
import {
  addDecimal,
  bandParts,
  fractionDigitsFor,
  frameFileName,
  frameView,
  joinBand,
  partRect,
  partView,
  planParts,
} from "./parts";
import { encodePngStream } from "./png-stream";
import { parseExportSpec, type PosterSpec } from "./spec";

const BASE = { re: "-0.75", im: "0.1", zoom: 2, width: 64, height: 48 };

/** The message of the ValidationError the body is refused with, if any. */
function detailOf(body: unknown): string | undefined {
  try {
    parseExportSpec(body);
  } catch (error) {
    if (error instanceof ValidationError) return error.message;
  }
  return undefined;
}

function fieldOf(body: unknown): string | undefined {
  try {
    parseExportSpec(body);
    return undefined;
  } catch (error) {
    if (error instanceof ValidationError) return error.field;
    throw error;
  }
}

describe("parseExportSpec", () => {
  it("keeps the coordinates' decimal strings, every digit", () => {
    const re = "-0.7436438870371587359558226657323463537470347483427917812519";
    const spec = parseExportSpec({ ...BASE, re });
    expect(spec.re).toBe(re);
    expect(spec).toMatchObject({ kind: "poster", format: "png", palette: "classic", width: 64, height: 48 });
  });

  it("names the field of every bad input", () => {
    expect(fieldOf({ ...BASE, re: -0.75 })).toBe("re");
    expect(fieldOf({ ...BASE, im: "1e" })).toBe("im");
    expect(fieldOf({ ...BASE, re: "9" })).toBe("re");
    expect(fieldOf({ ...BASE, zoom: 1e6 })).toBe("zoom");
    expect(fieldOf({ ...BASE, width: EXPORT_LIMITS.maxSide + 1 })).toBe("width");
    expect(fieldOf({ ...BASE, height: 1.5 })).toBe("height");
    expect(fieldOf({ ...BASE, palette: "nope" })).toBe("palette");
    expect(fieldOf({ ...BASE, format: "gif" })).toBe("format");
    expect(fieldOf({ ...BASE, colour: 1 })).toBe("colour");
    expect(fieldOf({ ...BASE, kind: "movie" })).toBe("kind");
    expect(fieldOf([1])).toBe("body");
    expect(fieldOf(null)).toBe("body");
  });

  it("accepts a 16384² poster at shallow zoom and bounds the work of deep ones", () => {
    expect((parseExportSpec({ ...BASE, zoom: 4, width: 16384, height: 16384 }) as PosterSpec).maxIter).toBe(1000);
    expect(fieldOf({ ...BASE, zoom: EXPORT_LIMITS.maxZoom, width: 16384, height: 16384 })).toBe("width");
  });

  it("takes jpg and webp where the format can hold the size, and names format when it cannot", () => {
    const side = EXPORT_LIMITS.maxSide;
    expect(parseExportSpec({ ...BASE, zoom: 4, width: side, height: side, format: "jpg" })).toMatchObject({
      format: "jpg",
    });
    expect(parseExportSpec(BASE)).toMatchObject({ format: "png" });
    const webp = FORMAT_LIMITS.webp;
    expect(detailOf({ ...BASE, width: side, height: 16, format: "webp" })).toBe(
      `format: webp allows at most ${webp.maxSide} px per side`,
    );
    expect(webp.maxSide).toBe(16383); // WebP's 14-bit width and height fields
    const wide = {
      ...BASE,
      zoom: 4,
      width: webp.maxSide,
      height: Math.floor(webp.maxPixels / webp.maxSide),
      format: "webp",
    };
    expect(parseExportSpec(wide)).toMatchObject({ format: "webp" });
    expect(fieldOf({ ...wide, height: wide.height + 1 })).toBe("format");
    expect(detailOf({ ...wide, height: wide.height + 1 })).toMatch(/^format: webp allows at most 100000000 px in all/);
    expect(fieldOf({ ...BASE, format: 3 })).toBe("format");
    // Every format /meta lists has limits, and none allows more than a poster may have.
    for (const format of EXPORT_LIMITS.formats) {
      expect(FORMAT_LIMITS[format].maxSide).toBeLessThanOrEqual(EXPORT_LIMITS.maxSide);
      expect(FORMAT_LIMITS[format].maxPixels).toBeLessThanOrEqual(EXPORT_LIMITS.maxPixels);
    }
    expect(formatSizeProblem("png", side, side)).toBeUndefined();
  });

  it("takes every format for a zoom sequence's frames, by the same table and with the same errors", () => {
    const zoom = { kind: "zoom", re: "0", im: "0", fromZoom: 1, toZoom: 2, frames: 2, width: 8, height: 8 };
    expect(parseExportSpec(zoom)).toMatchObject({ format: "png" });
    for (const format of EXPORT_LIMITS.formats) expect(parseExportSpec({ ...zoom, format })).toMatchObject({ format });
    for (const format of ["gif", "PNG", "", 3, null])
      expect(detailOf({ ...zoom, format })).toBe(`format: must be one of ${EXPORT_LIMITS.formats.join(", ")}`);
    // A size webp cannot hold is named `format`, as for a poster, before the frame's own bound.
    const webpSide = FORMAT_LIMITS.webp.maxSide;
    expect(detailOf({ ...zoom, width: webpSide + 1, height: 2, format: "webp" })).toBe(
      `format: webp allows at most ${webpSide} px per side`,
    );
    // Within the format's limits, a frame is still one view of the render core.
    expect(detailOf({ ...zoom, width: webpSide, height: 2, format: "webp" })).toMatch(/^width: .* per frame$/);
    expect(detailOf({ ...zoom, width: 2, height: EXPORT_LIMITS.partMaxSide + 1, format: "jpg" })).toMatch(
      /^height: .* per frame$/,
    );
  });

  it("refuses a poster whose outer parts would be centred past the render core's bound, naming the side", () => {
    // Zoom 0: a 16384 px side spans 256 units of the plane; the render core takes centres within ±8.
    expect(fieldOf({ ...BASE, zoom: 0, width: 16384, height: 64 })).toBe("width");
    expect(fieldOf({ ...BASE, zoom: 0, width: 64, height: 16384 })).toBe("height");
    // Every part of what is accepted is a view the render core takes.
    for (const body of [
      { ...BASE, zoom: 4, width: 16384, height: 16384 },
      { ...BASE, re: "-5", zoom: 3, width: 4200, height: 600 },
    ]) {
      const spec = parseExportSpec(body) as PosterSpec;
      const plan = planParts(spec);
      for (let i = 0; i < plan.count; i++)
        expect(() => validateView(partView(spec, partRect(spec, plan, i)))).not.toThrow();
    }
    expect(fieldOf({ ...BASE, re: "-5", zoom: 3, width: 8400, height: 600 })).toBe("width");
  });

  it("never throws anything but ValidationError on arbitrary JSON", () => {
    fc.assert(fc.property(fc.jsonValue(), (body) => void fieldOf(body)));
    fc.assert(
      fc.property(
        fc.record({
          re: fc.string(),
          im: fc.string(),
          zoom: fc.jsonValue(),
          width: fc.jsonValue(),
          height: fc.jsonValue(),
        }),
        (b) => void fieldOf(b),
      ),
    );
    // Zoom sequences: any format and size, accepted only as a format that holds it.
    fc.assert(
      fc.property(
        fc.record({
          kind: fc.constant("zoom"),
          re: fc.constant("-0.75"),
          im: fc.constant("0.1"),
          fromZoom: fc.constant(1),
          toZoom: fc.constant(3),
          frames: fc.constant(2),
          width: fc.oneof(fc.integer({ min: -2, max: 20_000 }), fc.jsonValue()),
          height: fc.oneof(fc.integer({ min: -2, max: 20_000 }), fc.jsonValue()),
          format: fc.oneof(fc.constantFrom(...EXPORT_LIMITS.formats), fc.jsonValue()),
        }),
        (b) => {
          if (fieldOf(b) !== undefined) return;
          const { maxSide, maxPixels } = FORMAT_LIMITS[b.format as keyof typeof FORMAT_LIMITS];
          expect(Math.max(b.width as number, b.height as number)).toBeLessThanOrEqual(maxSide);
          expect((b.width as number) * (b.height as number)).toBeLessThanOrEqual(maxPixels);
        },
      ),
    );
  });
});

describe("planParts", () => {
  it("covers every pixel of the poster exactly once with parts the render core accepts", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 16384 }),
        fc.integer({ min: 1, max: 16384 }),
        fc.constantFrom(1000, 3162, 50000),
        (width, height, maxIter) => {
          const plan = planParts({ width, height, maxIter });
          let area = 0;
          for (let band = 0; band < plan.bands; band++) {
            const parts = bandParts({ width, height }, plan, band);
            expect(parts.reduce((w, p) => w + p.width, 0)).toBe(width);
            for (const p of parts) {
              expect(p.width).toBeLessThanOrEqual(EXPORT_LIMITS.partMaxSide);
              expect(p.width * p.height).toBeLessThanOrEqual(EXPORT_LIMITS.partMaxPixels);
              expect(p.width * p.height * maxIter).toBeLessThanOrEqual(EXPORT_LIMITS.partMaxWork);
              area += p.width * p.height;
            }
          }
          expect(area).toBe(width * height);
        },
      ),
      { numRuns: 40 },
    );
    expect(() => partRect({ width: 10, height: 10 }, planParts({ width: 10, height: 10, maxIter: 1000 }), 1)).toThrow(
      RangeError,
    );
  });

  it("parts joined band by band give the pixels of the poster rendered whole", () => {
    const spec = parseExportSpec({ ...BASE, width: 300, height: 40 }) as PosterSpec;
    // A small part budget forces several columns and bands through the same code.
    const plan = { ...planParts(spec), columns: 3, partWidth: 100, bandHeight: 16, bands: 3, count: 9 };
    const whole = renderViewIndices({
      centerRe: Number(spec.re),
      centerIm: Number(spec.im),
      pixelSize: pixelSizeOfZoom(spec.zoom),
      width: 300,
      height: 40,
      palette: spec.palette,
      maxIter: spec.maxIter,
    });
    const rows: Uint8Array[] = [];
    for (let band = 0; band < plan.bands; band++) {
      rows.push(
        joinBand(
          300,
          bandParts(spec, plan, band).map((rect) => ({ rect, indices: renderViewIndices(partView(spec, rect)) })),
        ),
      );
    }
    const joined = Buffer.concat(rows);
    let differing = 0;
    for (let i = 0; i < whole.length; i++) if (joined[i] !== whole[i]) differing++;
    // Part centres are recomputed in float64; a pixel on a colour boundary may round the other way.
    expect(differing / whole.length).toBeLessThan(0.001);
  });
});

describe("deep parts", () => {
  it("adds a float offset to a decimal exactly, rounded to the digits asked", () => {
    expect(addDecimal("-0.75", 0.25, 10)).toBe("-0.5");
    expect(addDecimal("0.1", -0.3, 4)).toBe("-0.2");
    expect(addDecimal("1.00000000000000000000000000000001", 2 ** -100, 40)).toBe(
      "1.0000000000000000000000000000007988609052",
    );
    expect(addDecimal("-0.0000004", 0, 6)).toBe("0");
    expect(addDecimal("0", 2 ** -60, 60)).toBe("0.000000000000000000867361737988403547205962240695953369140625");
    // A part's centre at the deepest zoom still fits the render core's coordinate bound.
    expect(fractionDigitsFor(2400) + 3).toBeLessThan(1024);
  });

  it("parts of a deep poster joined band by band give the poster rendered whole", () => {
    const spec = parseExportSpec({
      re: "-0.743643887037158870778064543",
      im: "0.131825904205311970493132056",
      zoom: 40,
      width: 96,
      height: 64,
    }) as PosterSpec;
    const plan = { ...planParts(spec), columns: 2, partWidth: 48, bandHeight: 40, bands: 2, count: 4 };
    const whole = renderViewIndices({
      centerRe: 0,
      centerIm: 0,
      pixelSize: 1,
      width: 96,
      height: 64,
      palette: spec.palette,
      maxIter: spec.maxIter,
      exact: { re: spec.re, im: spec.im, zoom: spec.zoom },
    });
    const rows: Uint8Array[] = [];
    for (let band = 0; band < plan.bands; band++) {
      rows.push(
        joinBand(
          96,
          bandParts(spec, plan, band).map((rect) => ({ rect, indices: renderViewIndices(partView(spec, rect)) })),
        ),
      );
    }
    const joined = Buffer.concat(rows);
    let differing = 0;
    for (let i = 0; i < whole.length; i++) if (joined[i] !== whole[i]) differing++;
    expect(new Set(whole).size).toBeGreaterThan(3); // structure, not one flat colour
    expect(differing).toBe(0);
  });
});

describe("zoom sequence frames", () => {
  it("space the zoom evenly and render on both sides of the float64/perturbation boundary", () => {
    const spec = parseExportSpec({
      kind: "zoom",
      re: "-0.743643887037158870778064543",
      im: "0.131825904205311970493132056",
      fromZoom: 30,
      toZoom: 40,
      frames: 3,
      width: 16,
      height: 12,
    });
    if (spec.kind !== "zoom") throw new Error("expected a zoom spec");
    expect([0, 1, 2].map((n) => frameView(spec, n).exact!.zoom)).toEqual([30, 35, 40]);
    expect(frameFileName({ ...spec, frames: 120 }, 7)).toBe("frame-007.png");
    expect(frameFileName({ frames: 1000, format: "jpg" }, 42)).toBe("frame-042.jpg");
    expect(frameFileName({ frames: 10, format: "webp" }, 9)).toBe("frame-9.webp");
    for (const n of [0, 2]) expect(renderViewIndices(frameView(spec, n))).toHaveLength(16 * 12);
    expect(() => frameView(spec, 3)).toThrow(RangeError);
  });
});

async function collect(stream: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const out: Uint8Array[] = [];
  for await (const piece of stream) out.push(piece);
  return Buffer.concat(out);
}

async function* bandsOf(indices: Uint8Array, width: number, rowsPerBand: number): AsyncGenerator<Uint8Array> {
  for (let y = 0; y * width < indices.length; y += rowsPerBand)
    yield indices.slice(y * width, Math.min(indices.length, (y + rowsPerBand) * width));
}

describe("encodePngStream", () => {
  const palette = colourTable("classic");

  it("decodes (pngjs, CRCs checked) to exactly the rows given, whatever the band size", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 1, max: 60 }),
        fc.integer(),
        async (w, h, band, seed) => {
          const indices = new Uint8Array(w * h).map((_, i) => ((i * 2654435761 + seed) >>> 24) % 7);
          const png = PNG.sync.read(
            await collect(encodePngStream({ width: w, height: h, paletteRgb: palette.rgb }, bandsOf(indices, w, band))),
            { checkCRC: true },
          );
          expect([png.width, png.height]).toEqual([w, h]);
          const expected = new Uint8Array(w * h * 4);
          for (let i = 0; i < indices.length; i++)
            expected.set([...palette.rgb.subarray(indices[i] * 3, indices[i] * 3 + 3), 255], i * 4);
          expect(Buffer.from(png.data).equals(Buffer.from(expected))).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  });

  it("fails instead of writing a short or ragged file", async () => {
    const opts = { width: 4, height: 3, paletteRgb: palette.rgb };
    await expect(collect(encodePngStream(opts, bandsOf(new Uint8Array(8), 4, 1)))).rejects.toThrow(/got 2 rows/);
    await expect(collect(encodePngStream(opts, bandsOf(new Uint8Array(7), 4, 2)))).rejects.toThrow(/whole rows/);
  });
});

describe("job state machine", () => {
  const job: JobRecord = {
    id: "x",
    spec: parseExportSpec(BASE),
    state: "queued",
    parts: 4,
    createdAt: "t0",
    updatedAt: "t0",
  };

  it("moves forward only; repeating or reversing a transition changes nothing", () => {
    const running = advance(job, { kind: "started" }, "t1")!;
    expect(running.state).toBe("running");
    expect(advance(running, { kind: "started" }, "t2")).toBeUndefined();
    const done = advance(running, { kind: "assembled", resultKey: "k" }, "t3")!;
    expect(done).toMatchObject({ state: "done", resultKey: "k" });
    expect(advance(done, { kind: "failed", reason: "late" }, "t4")).toBeUndefined();
    expect(advance(done, { kind: "started" }, "t4")).toBeUndefined();
    const failed = advance(job, { kind: "failed", reason: "poisoned part 3" }, "t5")!;
    expect(advance(failed, { kind: "assembled", resultKey: "k" }, "t6")).toBeUndefined();
  });

  it("reports progress from parts, running once a part exists, the url only when done", () => {
    expect(statusView(job, 0)).toEqual({ id: "x", status: "queued", progress: 0 });
    expect(statusView(job, 2)).toMatchObject({ status: "running", progress: 0.475 });
    const done = advance(job, { kind: "assembled", resultKey: "k" }, "t")!;
    expect(statusView(done, 4, { url: "u", expiresAt: "e" })).toEqual({
      id: "x",
      status: "done",
      progress: 1,
      url: "u",
      expiresAt: "e",
    });
    const failed = advance(job, { kind: "failed", reason: "r" }, "t")!;
    expect(statusView(failed, 1, { url: "u", expiresAt: "e" })).toMatchObject({ status: "failed", error: "r" });
    expect(statusView(failed, 1).url).toBeUndefined();
  });

  it("accepts only UUIDs as job ids", () => {
    expect(isJobId(crypto.randomUUID())).toBe(true);
    expect(isJobId("../../tiles")).toBe(false);
  });
});
