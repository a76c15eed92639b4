/**
 * The one generic explicit Runge–Kutta step. It knows nothing about particular methods (the tableau
 * says everything) or about the kind of state (the {@link StateSpace} does the arithmetic).
 *
 * @module
 */
import type { ButcherTableau } from "./tableau";
import { denseWeights } from "./tableau";
import type { StateSpace } from "./state";

/** Work values reused from step to step; `k[0]` must hold f(t, u) on entry. */
export interface StepWork<S> {
  k: (S | null)[];
  stage: S | null;
  u1: S | null;
  err: S | null;
  /** Right-hand-side evaluations so far, counted before each call so failures are counted too. */
  nfe: number;
}

/** Empty work values for a tableau with `stages` stages. */
export function newStepWork<S>(stages: number): StepWork<S> {
  return { k: new Array<S | null>(stages).fill(null), stage: null, u1: null, err: null, nfe: 0 };
}

/**
 * Takes one step of size `h` (negative when integrating backwards) from `(t, u)`:
 *   U_i = u + h Σ_{j<i} a_ij k_j,   k_i = f(t + c_i h, U_i),   u1 = u + h Σ b_i k_i,   err = h Σ bError_i k_i.
 * Results land in `work.k`, `work.u1` and (when `withError`) `work.err`.
 */
export function rkStep<S>(space: StateSpace<S>, tab: ButcherTableau, t: number, u: S, h: number, work: StepWork<S>, withError: boolean): void {
  const { a, c } = tab;
  const s = c.length;
  for (let i = 1; i < s; i++) {
    work.stage = space.combine(work.stage, u, h, a[i], work.k);
    work.nfe++;
    work.k[i] = space.evaluate(work.k[i], t + c[i] * h, work.stage);
  }
  if (tab.fsal) {
    // The last stage point is the new solution; keep it and recycle the old u1 as the next stage buffer.
    const u1 = work.stage;
    work.stage = work.u1;
    work.u1 = u1;
  } else {
    work.u1 = space.combine(work.u1, u, h, tab.b, work.k);
  }
  if (withError) work.err = space.combine(work.err, null, h, tab.bError!, work.k);
}

/**
 * The solution at `time` inside the step from `(t, u)` to `(t + h, u1)`. Uses the method's own
 * continuous extension when it has one; otherwise cubic Hermite interpolation through u, u1 and the
 * slopes f0 = k[0], f1: a cubic whose error inside a step is O(h⁴), so it keeps the accuracy of
 * every fixed-step method here up to rk4.
 */
export function interpolate<S>(space: StateSpace<S>, tab: ButcherTableau, t: number, h: number, u: S, u1: S, k: readonly (S | null)[], f1: S, time: number): S {
  const theta = (time - t) / h;
  if (tab.dense) return space.combine(null, u, h, denseWeights(tab, theta), k);
  const t2 = theta * theta;
  const t3 = t2 * theta;
  const h01 = 3 * t2 - 2 * t3; // weight of u1 (u gets 1 − h01)
  const h10 = t3 - 2 * t2 + theta; // weight of h·f0
  const h11 = t3 - t2; // weight of h·f1
  return space.combine(null, u, 1, [h01, -h01, h * h10, h * h11], [u1, u, k[0], f1]);
}
