/**
 * Checks of the `rk4-step` exercise: one classical Runge–Kutta step `rk4Step(f, t, u, h)`.
 *
 * Thresholds come from running a reference RK4 and two wrong ones (a second-order midpoint rule, and
 * an RK4 that evaluates every stage at the step's start time) on the same problems:
 *
 * | problem, step                         | RK4      | midpoint (RK2) | RK4, stages at t |
 * |---------------------------------------|----------|----------------|------------------|
 * | x'' = −4x on [0, 2], h = 0.05          | 5.3e-6   | 1.1e-2         | 5.3e-6           |
 * | u' = cos(t)·u on [0.3, 2.3], h = 0.1   | 3.3e-7   | 2.3e-4         | 1.3e-1           |
 * | slope of log error vs log h (x'' = −4x)| 4.07     | 2.06           | 4.07             |
 *
 * so the limits (2e-5, 2e-6, slope in [3.6, 4.4]) leave a factor of about 4 for other correct
 * variants (e.g. the 3/8 rule) and still separate the wrong ones by orders of magnitude.
 *
 * @module
 */
import { fail, finiteVector, fmt, notebookContext, checkCell, type CheckContext, type Exercise } from "./harness";
import { observedOrder } from "../../dist";

/** A right-hand side u' = f(t, u). */
export type Field = (t: number, u: number[]) => number[];

/** What the notebook defines. */
export interface Rk4Submission {
  [name: string]: unknown;
  rk4Step: (f: Field, t: number, u: number[], h: number) => number[];
}

/** x'' = −4x as (x, v)' = (v, −4x); exact (cos 2t, −2 sin 2t) from (1, 0). */
const harmonic: Field = (_t, u) => [u[1], -4 * u[0]];
const harmonicExact = (t: number) => [Math.cos(2 * t), -2 * Math.sin(2 * t)];
/** Non-autonomous: u' = cos(t)·u, exact u(t) = u(t0)·exp(sin t − sin t0). Wrong stage times show here. */
const cosine: Field = (t, u) => [Math.cos(t) * u[0]];

/** Integrates with the student's step from t0 over n steps of h and returns the final state. */
function integrate(sub: Rk4Submission, f: Field, u0: number[], t0: number, h: number, n: number): number[] {
  let u = u0;
  for (let i = 0; i < n; i++) {
    // t from the step count, not by summing h, so rounding does not drift.
    u = finiteVector(sub.rk4Step(f, t0 + i * h, u, h), u0.length, `rk4Step(f, ${fmt(t0 + i * h)}, u, ${h})`);
  }
  return u;
}

const distance = (a: number[], b: number[]) => Math.hypot(...a.map((x, i) => x - b[i]));

/** Global error on the oscillator at t = 2 with n = 2/h steps. */
const harmonicError = (sub: Rk4Submission, h: number) => distance(integrate(sub, harmonic, [1, 0], 0, h, Math.round(2 / h)), harmonicExact(2));

/** The exercise, as the grader runs it. */
export const exercise: Exercise<Rk4Submission> = {
  name: "rk4-step",
  title: "One step of the classical Runge–Kutta method",
  required: ["rk4Step"],
  loadTimeoutMs: 20_000,
  budgetMs: 30_000,
  checks: [
    {
      id: "shape",
      gradeId: "rk4-step",
      title: "rk4Step returns a new state of the same length and leaves u unchanged",
      points: 1,
      visibility: "visible",
      timeoutMs: 5_000,
      run(sub) {
        const u = [1, 2, 3];
        const f: Field = (_t, v) => [v[1], -v[0], 0.5 * v[2]];
        const out = sub.rk4Step(f, 0, u, 0.1);
        finiteVector(out, 3, "rk4Step(f, 0, [1, 2, 3], 0.1)");
        if (out === u) fail("rk4Step returned the array u itself; return a new array (the caller may still need u)");
        if (u.join() !== "1,2,3") fail(`rk4Step changed its input u to [${u}]; compute the new state in a new array`);
      },
    },
    {
      id: "accuracy",
      gradeId: "rk4-step",
      title: "rk4Step is accurate on x'' = −4x and on u' = cos(t)·u",
      points: 2,
      visibility: "visible",
      timeoutMs: 5_000,
      run(sub) {
        const eh = harmonicError(sub, 0.05);
        if (!(eh < 2e-5)) fail(`x'' = −4x, 40 steps of h = 0.05 to t = 2: error ${fmt(eh)}, but RK4 gets about 5e-6 (limit 2e-5)`);
        const end = integrate(sub, cosine, [1], 0.3, 0.1, 20)[0];
        const ec = Math.abs(end - Math.exp(Math.sin(2.3) - Math.sin(0.3)));
        if (!(ec < 2e-6)) fail(`u' = cos(t)·u from t = 0.3, 20 steps of h = 0.1: error ${fmt(ec)}, but RK4 gets about 3e-7 (limit 2e-6); are the stages evaluated at t, t + h/2, t + h/2, t + h?`);
        return `errors ${fmt(eh)} and ${fmt(ec)}`;
      },
    },
    {
      id: "order",
      gradeId: "rk4-step",
      title: "rk4Step converges with order 4",
      points: 2,
      visibility: "hidden",
      timeoutMs: 5_000,
      run(sub) {
        const hs = [0.2, 0.1, 0.05, 0.025];
        const errors = hs.map((h) => harmonicError(sub, h));
        if (!errors.every((e) => e > 0 && Number.isFinite(e))) fail(`errors ${errors.map(fmt).join(", ")} on x'' = −4x cannot be fitted on a log scale`);
        const p = observedOrder(hs, errors);
        if (!(p >= 3.6 && p <= 4.4)) fail(`observed order ${fmt(p)} (slope of log error against log h for h = ${hs.join(", ")}); RK4 should give 4`);
        return `observed order ${fmt(p)}`;
      },
    },
  ],
};

/**
 * Notebook check cell: runs the visible checks of `gradeId`, prints a ✓/✗ line each, and throws if
 * any failed (see {@link checkCell}). Returns nothing, so that tslab (which prints a cell\'s last
 * value) prints only those lines.
 */
export async function run(gradeId: string, sub: Partial<Rk4Submission>, ctx: CheckContext = notebookContext): Promise<void> {
  await checkCell(exercise, gradeId, sub, ctx);
}
