/**
 * Which point of an anchor the reference orbit follows. The anchor's centre is the obvious choice,
 * but a reference that escapes early forces every pixel that outlives it to restart from an O(1)
 * delta, where BLA cannot skip (README "Reference choice"). So when the centre escapes before
 * the budget, candidates on a 16 × 16 grid over the anchor, then 16 × 16 around the best of those
 * at 1/16 of the spacing, are counted by perturbation against the centre's orbit, and the one that
 * survives longest (the first in scan order on ties) becomes the reference. Deterministic: counts
 * are those of the per-step perturbation loop, identical in wasm and TypeScript.
 */
import { ANCHOR_LEVELS, type Anchor, type PixelGrid } from "./geometry";
import { perturbGrid } from "./perturb";
import { blaPays } from "./bla-choice";
import { iterateReference, offsetUnitBits, type ReferenceOrbit } from "./reference";
import { deepWasmAvailable, perturbGridWasm } from "./wasm";

const GRID = 16;

interface Best {
  offsetRe: number;
  offsetIm: number;
  count: number;
}

/** The longest-lived of GRID × GRID candidates centred on (re, im) with the given spacing (in offset units). */
function bestOf(centre: ReferenceOrbit, re: number, im: number, spacing: number, maxIter: number): Best {
  const half = ((GRID - 1) / 2) * spacing;
  const grid: PixelGrid = {
    width: GRID,
    height: GRID,
    c0re: re - half,
    c0im: im + half,
    step: spacing,
    exponent: -offsetUnitBits(centre.anchor),
  };
  const { counts } = deepWasmAvailable()
    ? perturbGridWasm(centre, grid, maxIter, { bla: false }) // BLA off: the JS engine gives the same counts
    : perturbGrid(centre, grid, maxIter);
  let best = 0;
  for (let i = 1; i < counts.length; i++) if (counts[i] > counts[best]) best = i;
  const px = best % GRID;
  const py = (best - px) / GRID;
  return { offsetRe: grid.c0re + px * spacing, offsetIm: grid.c0im - py * spacing, count: counts[best] };
}

/**
 * The reference orbit of an anchor for a budget, and whether BLA pays under it (bla-choice.ts):
 * deterministic, the same bytes everywhere.
 */
export function computeReference(anchor: Anchor, maxIter: number): ReferenceOrbit {
  const started = performance.now();
  const ref: ReferenceOrbit = { ...chooseOrbit(anchor, maxIter), blaPays: false };
  // Decided on this very object, so the BLA table built for the decision serves its tiles too.
  ref.blaPays = blaPays(ref);
  ref.ms = performance.now() - started;
  return ref;
}

function chooseOrbit(anchor: Anchor, maxIter: number): ReferenceOrbit {
  const centre = iterateReference(anchor, 0, 0, maxIter);
  if (!centre.escaped) return centre;
  const side = 2 ** (ANCHOR_LEVELS + 10); // the anchor's side in offset units
  const coarse = bestOf(centre, 0, 0, side / GRID, maxIter);
  const fine = bestOf(centre, coarse.offsetRe, coarse.offsetIm, side / GRID / GRID, maxIter);
  const pick = fine.count > coarse.count ? fine : coarse;
  if (pick.count <= centre.re.length - 1) return centre;
  const chosen = iterateReference(anchor, pick.offsetRe, pick.offsetIm, maxIter);
  return chosen.re.length >= centre.re.length ? chosen : centre;
}
