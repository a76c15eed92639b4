/**
 * `solveTensor`: the same solver on float32 tfjs tensors, differentiable by tfjs autodiff.
 *
 * @module
 */
import { tf } from "../tf/backend";
import { integrate, type SolveStats, type SolveStatus } from "./integrate";
import { resolveSettings, type SolveOptions } from "./options";
import { TensorSpace, type TensorField } from "./tensor-space";
import { checkFinite as checkFiniteValues, readNumbers } from "../options/arrays";
import { checkValue, fail, type Where } from "../options/schema";
import { func } from "../options/rules";

const FIELD_RULE = func("(t, u) => du on tensors, such as (t, u) => tf.neg(u)");

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
  const fn = "solveTensor";
  checkValue({ fn, path: "f" }, FIELD_RULE, f);
  const settings = resolveSettings(tspan, options, fn);
  let result: Omit<TensorSolution, "u"> | undefined;
  const u = tf.tidy(() => {
    const start = initialTensor(u0, { fn, path: "u0" });
    const raw = integrate(new TensorSpace(firstCallNamed(f, start.shape, fn), start.shape), start, settings);
    const stacked = raw.u.length > 0 ? tf.stack(raw.u) : tf.zeros([0, ...start.shape]);
    raw.u.forEach((x) => x.dispose());
    checkFinite(stacked, raw.t);
    result = { t: raw.t, stats: raw.stats, status: raw.status, ...(raw.message ? { message: raw.message } : {}) };
    return stacked;
  });
  return { ...result!, u };
}

/** u0 as a float32 tensor, checked: not empty, finite, and (as nested arrays) not ragged. */
export function initialTensor(u0: unknown, at: Where): tf.Tensor {
  if (u0 instanceof tf.Tensor) {
    if (u0.size === 0) fail(at, `${at.path} is empty (shape [${u0.shape}]); give at least one state component`);
    checkFiniteValues(u0.dataSync(), at, "the initial state");
    return u0.toFloat();
  }
  const { shape, values } = readNumbers(u0, at, "the initial state");
  if (values.length === 0) fail(at, `${at.path} is empty (shape [${shape}]); give at least one state component`);
  return tf.tensor(Float32Array.from(values), shape as number[], "float32");
}

/**
 * f's first call is on u0. If it throws there, the cause is most often a u0 of the wrong size for f
 * (tfjs then says "matMul: inner shapes…"), so the message says which argument to look at.
 */
function firstCallNamed(f: TensorField, shape: readonly number[], fn: string): TensorField {
  let first = true;
  return (t, u) => {
    if (!first) return f(t, u);
    first = false;
    try {
      return f(t, u);
    } catch (e) {
      const why = (e instanceof Error ? e.message : String(e)).replace(/\.+$/, "");
      throw new Error(`${fn}: f threw on its first call, at t = ${t} on u0 of shape [${shape}]: ${why}. If this is about shapes, check that u0 has the size f expects`, { cause: e });
    }
  };
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
