/**
 * The integration loop, written once for every method and every kind of state: propose a step,
 * let the controller judge it, save outputs at `saveat`, advance.
 *
 * @module
 */
import { makeController, FAC_MIN } from "./controller";
import type { Settings } from "./options";
import { interpolate, newStepWork, rkStep } from "./rk-step";
import { NonFiniteField, type StateSpace } from "./state";

/** Work counters of one solve. */
export interface SolveStats {
  /** Evaluations of the vector field. */
  nfe: number;
  /** Accepted steps. */
  accepted: number;
  /** Rejected trial steps (always 0 with a fixed step). */
  rejected: number;
}

/** How a solve ended: `"success"`, or why it stopped early (only seen with `onFailure: "return"`). */
export type SolveStatus = "success" | "maxSteps" | "dtMin";

/** The loop's result, before the entry point converts states for the caller. */
export interface RawSolution<S> {
  t: number[];
  u: S[];
  stats: SolveStats;
  status: SolveStatus;
  /** Why the solve stopped early; absent on success. */
  message?: string;
}

/** Thrown when a solve cannot finish; `status` says why and `t` how far it got. */
export class OdeSolveError extends Error {
  constructor(message: string, readonly status: SolveStatus, readonly t: number, readonly stats: SolveStats) {
    super(message);
    this.name = "OdeSolveError";
  }
}

/** A step that lands within this fraction of h of t1 is stretched to end exactly on t1 (no sliver steps). */
const SNAP = 1e-10;

/**
 * Sees every accepted step before the solver moves on: the step from `(t, u)` of size `h`, its stages
 * `k` and the new state `u1`. Values are only valid during the call (buffers are reused). The neural
 * ODE's backprop records steps through this.
 */
export type StepObserver<S> = (t: number, h: number, u: S, k: readonly (S | null)[], u1: S) => void;

/** Integrates from `u0` over `settings.t0 → settings.t1`. `u0` is copied, never modified. */
export function integrate<S>(space: StateSpace<S>, u0: S, settings: Settings, observer?: StepObserver<S>): RawSolution<S> {
  const { tableau: tab, t0, t1, adaptive, rtol, atol, saveat } = settings;
  const dir = Math.sign(t1 - t0);
  const s = tab.c.length;
  const work = newStepWork<S>(s);
  const controller = makeController(settings.controller, adaptive, tab.errorOrder ?? tab.order, settings.fn);
  const stats: SolveStats = { nfe: 0, accepted: 0, rejected: 0 };
  const ts: number[] = [];
  const us: S[] = [];
  let u = space.snapshot(u0);
  let spare: S | null = null; // f(t + h, u1) for methods that are not FSAL
  let t = t0;
  let iSave = 0;
  let nonFinite: string | null = null; // why the last trial steps failed, if f went non-finite

  const finish = (status: SolveStatus, message?: string): RawSolution<S> => {
    stats.nfe = work.nfe;
    return { t: ts, u: us, stats, status, message };
  };
  try {
    work.nfe++;
    try {
      work.k[0] = space.evaluate(null, t, u);
    } catch (e) {
      throw e instanceof NonFiniteField ? new Error(`f: ${e.message} (the initial state u0); check f and u0`) : e;
    }
    if (!saveat) {
      ts.push(t0);
      us.push(space.snapshot(u));
    } else {
      for (; iSave < saveat.length && saveat[iSave] === t0; iSave++) {
        ts.push(t0);
        us.push(space.snapshot(u));
      }
    }
    let h = adaptive ? dir * (settings.dt ?? initialStep(space, settings, u, work)) : dir * settings.dt!;

    while (dir * (t1 - t) > 0) {
      if (stats.accepted + stats.rejected >= settings.maxSteps) {
        const pct = ((100 * (t - t0)) / (t1 - t0)).toFixed(1);
        return fail("maxSteps", `maxSteps (${settings.maxSteps}) reached at t = ${t}, ${pct}% of the way from t0 = ${t0} to t1 = ${t1} ` +
          `(${stats.accepted} accepted, ${stats.rejected} rejected steps). Raise options.maxSteps, loosen rtol/atol, or take a larger dt.`);
      }
      const last = dir * (t + h - t1) >= -SNAP * Math.abs(h);
      if (last) h = t1 - t;
      const tNew = last ? t1 : t + h;
      if (tNew === t) return underflow(h);

      let accept: boolean;
      let factor: number;
      try {
        rkStep(space, tab, t, u, h, work, adaptive);
        if (!tab.fsal) {
          work.nfe++;
          spare = space.evaluate(spare, tNew, work.u1!);
        }
        const err = adaptive ? space.errorNorm(work.err!, u, work.u1!, rtol, atol) : 0;
        // Tensor states are not scanned for NaN at every evaluation (one sync per stage); a NaN
        // error estimate is where a non-finite f shows up there.
        if (Number.isNaN(err)) nonFinite = `the vector field returned NaN or ±Infinity at a stage between t = ${t} and ${tNew}`;
        ({ accept, factor } = controller.judge(err));
      } catch (e) {
        if (!(e instanceof NonFiniteField)) throw e;
        if (!adaptive) throw new Error(`f: ${e.message}, during the step from t = ${t} with dt = ${Math.abs(h)}. Check f for overflow or division by zero, or try a smaller dt.`);
        // A trial step too long for f (overflow, leaving its domain): retry shorter, like an error-test failure.
        nonFinite = e.message;
        accept = false;
        factor = FAC_MIN;
      }

      if (!accept) {
        stats.rejected++;
        h *= factor;
        // A step too small to move t is caught where the next trial step is formed.
        if (Math.abs(h) < settings.dtMin) return underflow(h);
        continue;
      }
      nonFinite = null;

      observer?.(t, h, u, work.k, work.u1!);
      const f1 = tab.fsal ? work.k[s - 1]! : spare!;
      if (saveat) {
        for (; iSave < saveat.length && dir * (saveat[iSave] - tNew) <= 0; iSave++) {
          const at = saveat[iSave];
          ts.push(at);
          us.push(at === tNew ? space.snapshot(work.u1!) : interpolate(space, tab, t, h, u, work.u1!, work.k, f1, at));
        }
      } else {
        ts.push(tNew);
        us.push(space.snapshot(work.u1!));
      }
      // Advance: the new solution becomes u, its slope becomes k[0]; old values become scratch space.
      const oldU = u;
      u = work.u1!;
      work.u1 = oldU;
      const oldF0 = work.k[0];
      if (tab.fsal) {
        work.k[0] = work.k[s - 1];
        work.k[s - 1] = oldF0;
      } else {
        work.k[0] = spare;
        spare = oldF0;
      }
      t = tNew;
      stats.accepted++;
      h *= factor;
    }
    return finish("success");
  } finally {
    space.release(u);
    space.release(spare);
    space.release(work.stage);
    space.release(work.u1);
    space.release(work.err);
    for (const k of work.k) space.release(k);
  }

  function underflow(h: number): RawSolution<S> {
    const why = nonFinite ? ` For longer steps, ${nonFinite}.` : "";
    return fail("dtMin", `step size underflow: at t = ${t} the step shrank to h = ${Math.abs(h)} (below dtMin = ${settings.dtMin}) without meeting rtol/atol.${why} ` +
      `The solution may blow up near this time, the problem may be stiff, or f may be discontinuous: try a shorter tspan, looser rtol/atol, or check f.`);
  }

  function fail(status: SolveStatus, message: string): RawSolution<S> {
    if (settings.onFailure === "throw") {
      stats.nfe = work.nfe;
      throw new OdeSolveError(message, status, t, stats);
    }
    return finish(status, message);
  }
}

/**
 * Hairer's starting step (Hairer, Nørsett & Wanner I, §II.4): pick h so that an explicit Euler step
 * would change u by about 1% in the scaled norm, then correct with an estimate of the second
 * derivative so that h^(p+1)·‖u''‖ ≈ 0.01. Costs one evaluation of f. `work.k[0]` holds f(t0, u0).
 */
function initialStep<S>(space: StateSpace<S>, settings: Settings, u0: S, work: { k: (S | null)[]; nfe: number }): number {
  const { t0, t1, rtol, atol } = settings;
  const dir = Math.sign(t1 - t0);
  const span = Math.abs(t1 - t0);
  const f0 = work.k[0]!;
  const d0 = space.errorNorm(u0, u0, u0, rtol, atol);
  const d1 = space.errorNorm(f0, u0, u0, rtol, atol);
  // Hairer's fallback h0 = 1e-6 also covers a ratio that is not a usable step (d1 = ∞ from a huge f0).
  const ratio = d0 / d1;
  let h0 = d0 < 1e-5 || d1 < 1e-5 || !(ratio > 0 && Number.isFinite(ratio)) ? 1e-6 : 0.01 * ratio;
  h0 = Math.min(h0, span);
  const u1 = space.combine(null, u0, dir * h0, [1], [f0]);
  let f1: S | null = null;
  let d2 = Infinity;
  try {
    work.nfe++;
    f1 = space.evaluate(null, t0 + dir * h0, u1);
    const diff = space.combine(null, f1, -1, [1], [f0]);
    d2 = space.errorNorm(diff, u0, u0, rtol, atol) / h0;
    space.release(diff);
  } catch (e) {
    if (!(e instanceof NonFiniteField)) throw e;
  } finally {
    space.release(u1);
    space.release(f1);
  }
  const p = settings.tableau.order;
  const dmax = Math.max(d1, d2);
  const h1 = !Number.isFinite(dmax) ? h0 * 1e-3 : dmax <= 1e-15 ? Math.max(1e-6, h0 * 1e-3) : Math.pow(0.01 / dmax, 1 / (p + 1));
  return Math.min(100 * h0, h1, span);
}
