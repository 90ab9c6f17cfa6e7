/**
 * Per-pixel perturbation in plain TypeScript: the definition the wasm loop (assembly/deep.ts) must
 * reproduce bit for bit with BLA off, and the fallback where WebAssembly is missing.
 *
 * A pixel at C + c follows Z(m) + z(n) with z(n+1) = (2·Z(m) + z(n))·z(n) + c (m and n advance
 * together). The delta z is held as w·2^s ("scaled double", README "Extended range"): s = 0 is
 * plain float64 (|z| >= 2^-480); below that s < 0 keeps |w| within [2^-64, 2^64]. Rebasing
 * (Zhuoran): when |Z(m) + z| < |z|, or when m reaches the end of an escaped reference, z becomes
 * Z(m) + z and m restarts at 0.
 */
import { exponentOf, ldexp, pow2 } from "./bigfloat";
import type { PixelGrid } from "./geometry";
import type { ReferenceOrbit } from "./reference";

/** Plain doubles hold |z|² down to this; below, the delta goes scaled (s = PLAIN_TO_SCALED_EXP). */
export const PLAIN_MIN_MAGNITUDE_SQ = 2 ** -960;
export const PLAIN_TO_SCALED_EXP = -512;
/** A scaled delta whose exponent reaches this goes back to plain (|z| >= 2^-448 there). */
export const SCALED_TO_PLAIN_EXP = -384;
/** Scaled mantissas stay within 2^±64 (squared: 2^±128); rescaled by 2^64 at a time. */
export const SCALED_MAX_SQ = 2 ** 128;
export const SCALED_MIN_SQ = 2 ** -128;
/** In scaled mode, the rebase test is made only when the reference is this close to 0 (|Z|² below). */
export const SCALED_REBASE_Z_SQ = 2 ** -600;
/** A scaled exponent is never allowed below the pixel offset's exponent minus this (z is then negligible). */
export const SCALED_EXP_FLOOR = 900;

export interface PerturbOptions {
  /** Rebase (Zhuoran) when the pixel's orbit comes closer to 0 than to the reference; default true. */
  rebase?: boolean;
  /** Scaled deltas below 2^-480 (extended range); default true. Off: plain doubles only. */
  extendedRange?: boolean;
}

export interface PixelCounts {
  counts: Uint32Array;
  /** The escape value Z(m) + z (double) per escaped pixel, for the smooth value. */
  escapeRe: Float64Array;
  escapeIm: Float64Array;
  /** Perturbation steps run, BLA steps run, rebases made. */
  steps: number;
  blaSteps: number;
  rebases: number;
  /** Of the steps, those run two pixels at a time (the wasm loop; 0 here). */
  pairedSteps: number;
}

/**
 * Canonical form of a pixel offset (re, im)·2^exponent: the larger integer moved to [2^52, 2^53),
 * so equal offsets given at different units (a tile and a view) give identical arithmetic.
 */
export function canonicalOffset(re: number, im: number, exponent: number): [number, number, number] {
  const big = Math.max(Math.abs(re), Math.abs(im));
  if (big === 0) return [0, 0, 0];
  const shift = 52 - exponentOf(big);
  return [ldexp(re, shift), ldexp(im, shift), exponent - shift];
}

export function perturbGrid(
  ref: ReferenceOrbit,
  grid: PixelGrid,
  maxIter: number,
  opts: PerturbOptions = {},
): PixelCounts {
  const rebase = opts.rebase !== false;
  const extended = opts.extendedRange !== false;
  const pixels = grid.width * grid.height;
  const counts = new Uint32Array(pixels);
  const escapeRe = new Float64Array(pixels);
  const escapeIm = new Float64Array(pixels);
  const Zr = ref.re;
  const Zi = ref.im;
  const last = Zr.length - 1; // index of the reference's last entry
  let steps = 0;
  let rebases = 0;
  for (let py = 0; py < grid.height; py++) {
    for (let px = 0; px < grid.width; px++) {
      const [cr, ci, ce] = canonicalOffset(grid.c0re + px * grid.step, grid.c0im - py * grid.step, grid.exponent);
      // z(1) = c: start from the offset itself at its own exponent.
      let wr = cr;
      let wi = ci;
      let s = ce;
      let n = 1;
      let m = 1;
      // Normalise (w, s) to the representation rules; the offset c at scale s is (csr, csi).
      let f = 1;
      let csr = 0;
      let csi = 0;
      const settle = (): void => {
        if (!extended) {
          if (s !== 0) {
            wr = ldexp(wr, s);
            wi = ldexp(wi, s);
            s = 0;
          }
        } else {
          if (s === 0) {
            const mag = wr * wr + wi * wi;
            if (mag >= PLAIN_MIN_MAGNITUDE_SQ || mag === 0) {
              f = 1;
              csr = ldexp(cr, ce);
              csi = ldexp(ci, ce);
              return;
            }
            wr = ldexp(wr, -PLAIN_TO_SCALED_EXP);
            wi = ldexp(wi, -PLAIN_TO_SCALED_EXP);
            s = PLAIN_TO_SCALED_EXP;
          }
          for (;;) {
            const mag = wr * wr + wi * wi;
            if (mag > SCALED_MAX_SQ) {
              wr = ldexp(wr, -64);
              wi = ldexp(wi, -64);
              s += 64;
            } else if (mag < SCALED_MIN_SQ && mag !== 0 && s - 64 >= ce - SCALED_EXP_FLOOR) {
              wr = ldexp(wr, 64);
              wi = ldexp(wi, 64);
              s -= 64;
            } else break;
          }
          if (s < ce - SCALED_EXP_FLOOR) {
            // z is negligible beside c: hold it at c's scale (it rounds to 0 or nearly)
            wr = ldexp(wr, s - (ce - SCALED_EXP_FLOOR));
            wi = ldexp(wi, s - (ce - SCALED_EXP_FLOOR));
            s = ce - SCALED_EXP_FLOOR;
          }
          if (s >= SCALED_TO_PLAIN_EXP) {
            wr = ldexp(wr, s);
            wi = ldexp(wi, s);
            s = 0;
          }
        }
        f = s === 0 ? 1 : pow2(s);
        csr = ldexp(cr, ce - s);
        csi = ldexp(ci, ce - s);
      };
      s = ce;
      settle();
      let count = maxIter;
      for (;;) {
        // Z(m) + z after n steps: escaped?
        const zr = Zr[m];
        const zi = Zi[m];
        const fr = zr + wr * f;
        const fi = zi + wi * f;
        const full = fr * fr + fi * fi;
        if (full > 4) {
          count = n;
          escapeRe[py * grid.width + px] = fr;
          escapeIm[py * grid.width + px] = fi;
          break;
        }
        if (n >= maxIter) break;
        if (m === last) {
          // end of an escaped reference: continue from the full value
          wr = fr;
          wi = fi;
          s = 0;
          m = 0;
          rebases++;
          settle();
        } else if (rebase) {
          if (s === 0) {
            if (full < wr * wr + wi * wi) {
              wr = fr;
              wi = fi;
              m = 0;
              rebases++;
              settle();
            }
          } else if (zr * zr + zi * zi < SCALED_REBASE_Z_SQ && exponentOf(Math.abs(zr) + Math.abs(zi)) - s < 900) {
            const gr = ldexp(zr, -s) + wr;
            const gi = ldexp(zi, -s) + wi;
            if (gr * gr + gi * gi < wr * wr + wi * wi) {
              wr = gr;
              wi = gi;
              m = 0;
              rebases++;
              settle();
            }
          }
        }
        // one perturbation step: z ← (2Z + z)·z + c
        const zm = m;
        const pr = Zr[zm] + Zr[zm] + wr * f;
        const pi = Zi[zm] + Zi[zm] + wi * f;
        const nr = pr * wr - pi * wi + csr;
        const ni = pr * wi + pi * wr + csi;
        wr = nr;
        wi = ni;
        m++;
        n++;
        steps++;
        const mag = wr * wr + wi * wi;
        if (
          s === 0 ? extended && mag < PLAIN_MIN_MAGNITUDE_SQ && mag !== 0 : mag > SCALED_MAX_SQ || mag < SCALED_MIN_SQ
        ) {
          settle();
        }
      }
      counts[py * grid.width + px] = count;
    }
  }
  return { counts, escapeRe, escapeIm, steps, blaSteps: 0, rebases, pairedSteps: 0 };
}
