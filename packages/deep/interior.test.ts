import { describe, expect, it } from "vitest";
import { renderDeepTile } from "./index";
import { INTERIOR_MARGIN, provablyInterior, tileProvablyInterior } from "./interior";
import { parseDecimal } from "./fixed";
import { inspectFixed } from "./point";

const tileAt = (re: number, im: number, z: number) => ({
  z,
  x: BigInt(Math.floor(((re + 2.5) * 2 ** z) / 4)),
  y: BigInt(Math.floor(((2 - im) * 2 ** z) / 4)),
  scale: 1 as const,
  maxIter: 400,
});

describe("interior shortcut", () => {
  it("classifies points of the cardioid and the period-2 bulb, never points outside them", () => {
    expect(provablyInterior(-0.2, 0.1)).toBe(true);
    expect(provablyInterior(0, 0)).toBe(true);
    expect(provablyInterior(-1, 0)).toBe(true);
    // just outside the cardioid's boundary c = w/2 − w²/4, |w| = 1, and the bulb's |c + 1| = 1/4
    for (let k = 0; k < 360; k++) {
      const t = (k * Math.PI) / 180;
      const [wr, wi] = [Math.cos(t), Math.sin(t)];
      const cr = wr / 2 - (wr * wr - wi * wi) / 4;
      const ci = wi / 2 - (2 * wr * wi) / 4;
      expect(provablyInterior(cr * (1 + 1e-12) + 1e-12, ci)).toBe(false);
      expect(provablyInterior(cr, ci)).toBe(false);
      expect(provablyInterior(-1 + 0.25 * Math.cos(t), 0.25 * Math.sin(t))).toBe(false);
      // and well inside, it says yes
      const s = 1 - 4 * INTERIOR_MARGIN;
      expect(
        provablyInterior((s * wr) / 2 - (s * s * (wr * wr - wi * wi)) / 4, (s * wi) / 2 - (s * s * 2 * wr * wi) / 4),
      ).toBe(true);
    }
    expect(provablyInterior(0.25 + 1e-9, 0)).toBe(false); // the cusp
    expect(provablyInterior(-0.75, 0)).toBe(false); // where the bulb touches the cardioid
  });

  it("every sampled point it calls interior does not escape in direct iteration", () => {
    let inside = 0;
    for (let i = 0; i < 40; i++) {
      for (let j = 0; j < 40; j++) {
        const re = -1.3 + (1.7 * i) / 39;
        const im = (0.7 * j) / 39;
        if (!provablyInterior(re, im)) continue;
        inside++;
        const fixed = inspectFixed(parseDecimal(re.toString(), 60), parseDecimal(im.toString(), 60), 60, 2000);
        expect(fixed.escaped).toBe(false);
      }
    }
    expect(inside).toBeGreaterThan(200);
  });

  it("an all-interior tile skips iteration and equals the iterated tile", () => {
    const input = tileAt(-0.2, 0.1, 40);
    expect(tileProvablyInterior(input)).toBe(true);
    const fast = renderDeepTile(input);
    const slow = renderDeepTile(input, undefined, { interiorShortcut: false });
    expect(fast.stats.perturbationSteps + fast.stats.blaSteps).toBe(0);
    expect(slow.stats.perturbationSteps + slow.stats.blaSteps).toBeGreaterThan(0);
    expect(fast.counts).toEqual(slow.counts);
    expect(fast.smooth).toEqual(slow.smooth);
  });

  it("a tile on the cardioid's boundary is not taken", () => {
    expect(tileProvablyInterior(tileAt(0.25, 0, 40))).toBe(false);
    expect(tileProvablyInterior(tileAt(-0.75, 0.05, 40))).toBe(false);
  });
});
