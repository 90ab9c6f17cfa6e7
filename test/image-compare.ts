/** Peak signal-to-noise ratio of two RGBA pixel arrays over the colour channels (alpha skipped), in dB. */
export function psnr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  let n = 0;
  for (let i = 0; i < a.length; i++) {
    if (i % 4 === 3) continue;
    sum += (a[i] - b[i]) ** 2;
    n++;
  }
  return 10 * Math.log10((255 * 255) / (sum / n));
}
