/**
 * Continuous ("smooth") escape value, shared by every kernel so that they agree bit for bit.
 *
 * From the escape value z_n we keep iterating (to z_m) until |z_m| > SMOOTH_RADIUS (at most
 * SMOOTH_MAX_EXTRA_STEPS more steps), so that the standard renormalisation
 * mu = m + 1 - log2(ln|z_m|) is continuous across integer-count boundaries. With the bailout
 * radius of 2 alone, or a fixed 4 extra steps, it bands visibly where z grows slowly after
 * escaping (near the tip c = -2 and the antennae, |z| creeps just above 2 for several steps). The counts themselves are never touched. The extra steps are plain
 * arithmetic, so the wasm kernel runs them itself (assembly/kernel.ts mirrors
 * extendEscapeOrbit exactly) and hands over m and |z_m|^2; only the logarithms run here.
 * Math.log/Math.log2 are V8's software fdlibm ports: identical on every machine.
 */
export const SMOOTH_RADIUS_SQ = 65536; // |z| > 256
export const SMOOTH_MAX_EXTRA_STEPS = 32;

export const INTERIOR_SMOOTH = -1;

/** m and |z_m|^2 after the extra steps (module-level to avoid an allocation per pixel). */
export let extendedIteration = 0;
export let extendedMagnitudeSq = 0;

export function extendEscapeOrbit(n: number, zx: number, zy: number, cx: number, cy: number): void {
  let x = zx;
  let y = zy;
  let m = n;
  for (let k = 0; k < SMOOTH_MAX_EXTRA_STEPS; k++) {
    const x2 = x * x;
    const y2 = y * y;
    if (x2 + y2 > SMOOTH_RADIUS_SQ) break;
    y = 2 * x * y + cy;
    x = x2 - y2 + cx;
    m++;
  }
  extendedIteration = m;
  extendedMagnitudeSq = x * x + y * y;
}

/** mu = m + 1 - log2(ln|z_m|), clamped at 0 so that far outside (|c| >> 2) it never reads as interior. */
export function smoothFromExtendedOrbit(m: number, magnitudeSq: number): number {
  const mu = m + 1 - Math.log2(0.5 * Math.log(magnitudeSq));
  // biome-ignore lint/complexity/useMathMinMax: NaN must clamp to 0 here; Math.max would keep it
  return mu > 0 ? mu : 0;
}

/** The smooth value of a pixel with exact count n and escape value z_n (INTERIOR_SMOOTH if n == maxIter). */
export function smoothEscapeValue(n: number, maxIter: number, zx: number, zy: number, cx: number, cy: number): number {
  if (n >= maxIter) return INTERIOR_SMOOTH;
  extendEscapeOrbit(n, zx, zy, cx, cy);
  return smoothFromExtendedOrbit(extendedIteration, extendedMagnitudeSq);
}

/**
 * Fills in the smooth values the wasm kernel left to JS (NaN where its own logarithms could
 * not decide the f32 result, see assembly/kernel.ts smoothPass), from m and |z_m|^2. Lives
 * here, beside smoothFromExtendedOrbit, so that the call is module-local: through an import,
 * tsx/esbuild's CommonJS interop turns every call into a getter plus a call that V8 did not
 * inline (a boxed double per pixel; measured about 60 ns a pixel).
 */
export function fillSmoothFallbacks(smooth: Float32Array, iteration: Float64Array, magnitudeSq: Float64Array): void {
  for (let i = 0; i < smooth.length; i++) {
    if (Number.isNaN(smooth[i])) smooth[i] = smoothFromExtendedOrbit(iteration[i], magnitudeSq[i]);
  }
}
