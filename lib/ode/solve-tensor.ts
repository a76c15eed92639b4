/**
 * `solveTensor`: the same solver on float32 tfjs tensors, differentiable by tfjs autodiff.
 *
 * @module
 */
import { tf } from "../tf/backend";
import { integrate, type SolveStats, type SolveStatus } from "./integrate";
import { resolveSettings, type SolveOptions } from "./options";
import { TensorSpace, type TensorField } from "./tensor-space";

/** Result of {@link solveTensor}. */
export interface TensorSolution {
  /** Output times. */
  t: number[];
  /** States stacked along a new first axis: shape `[t.length, ...u0.shape]`. The caller disposes it. */
  u: tf.Tensor;
  stats: SolveStats;
  status: SolveStatus;
  /** Why the solve stopped early; only with `onFailure: "return"`. */
  message?: string;
}

/**
 * Solves u' = f(t, u) on float32 tensors. `u0` may be one state `[n]` or a batch `[B, n]`; the batch
 * shares one adaptive time grid. Call it inside `tf.variableGrads` to differentiate through the
 * solver. Intermediate tensors are freed as the solve goes; only `u` survives.
 *
 * float32 has about 7 significant digits, so rtol much below 1e-6 buys little accuracy.
 */
export function solveTensor(f: TensorField, u0: tf.Tensor | readonly number[] | readonly (readonly number[])[], tspan: readonly [number, number] | readonly number[], options?: SolveOptions): TensorSolution {
  if (typeof f !== "function") throw new Error(`f must be a function (t, u) => du on tensors, got ${typeof f}`);
  const settings = resolveSettings(tspan, options);
  let result: Omit<TensorSolution, "u"> | undefined;
  const u = tf.tidy(() => {
    const start = u0 instanceof tf.Tensor ? u0.toFloat() : tf.tensor(u0 as number[], undefined, "float32");
    if (start.size === 0) throw new Error("u0 is empty; give at least one state component");
    const values = start.dataSync();
    const bad = values.findIndex((x) => !Number.isFinite(x));
    if (bad >= 0) throw new Error(`u0 has a non-finite entry (${values[bad]} at flat index ${bad}); the initial state must be finite`);
    const raw = integrate(new TensorSpace(f, start.shape), start, settings);
    const stacked = raw.u.length > 0 ? tf.stack(raw.u) : tf.zeros([0, ...start.shape]);
    raw.u.forEach((x) => x.dispose());
    checkFinite(stacked, raw.t);
    result = { t: raw.t, stats: raw.stats, status: raw.status, ...(raw.message ? { message: raw.message } : {}) };
    return stacked;
  });
  return { ...result!, u };
}

/** One sync at the end instead of one per step: finds the first output time where the state is not finite. */
function checkFinite(u: tf.Tensor, t: readonly number[]): void {
  const values = u.dataSync();
  const per = u.size / t.length;
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) {
      throw new Error(`the solution is not finite (${values[i]}) at t = ${t[Math.floor(i / per)]}; f overflowed or returned NaN. Check f, or use an adaptive method with tighter rtol/atol`);
    }
  }
}
