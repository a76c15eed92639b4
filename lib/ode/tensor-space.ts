/**
 * float32 tfjs tensors as solver state. Every operation is a tfjs op, so a solve run inside
 * `tf.grad` / `tf.variableGrads` is differentiable ("backprop through the solver").
 *
 * @module
 */
import { tf } from "../tf/backend";
import type { StateSpace } from "./state";

/** A vector field on tensors: `u` has the shape of `u0` (e.g. `[n]` or a batch `[B, n]`). */
export type TensorField = (t: number, u: tf.Tensor) => tf.Tensor;

/** Tensor arithmetic for the generic solver. `out` arguments are disposed, never written. */
export class TensorSpace implements StateSpace<tf.Tensor> {
  /**
   * @param normSize For 1-D states: how many leading components enter the error norm (default all);
   *   the adjoint's augmented state uses it to leave the parameter-gradient integrals out.
   */
  constructor(private readonly f: TensorField, private readonly shape: readonly number[], private readonly normSize?: number) {}

  combine(out: tf.Tensor | null, base: tf.Tensor | null, h: number, coef: readonly number[], v: readonly (tf.Tensor | null)[]): tf.Tensor {
    out?.dispose();
    return tf.tidy(() => {
      const terms: tf.Tensor[] = base ? [base] : [];
      for (let j = 0; j < coef.length; j++) {
        const w = h * coef[j];
        if (w !== 0) terms.push(tf.mul(v[j]!, w));
      }
      if (terms.length === 0) return tf.zeros(this.shape as number[]);
      // A lone `base` must still come back as a new tensor: the caller owns (and later frees) the result.
      return terms.length === 1 ? (terms[0] === base ? tf.clone(base) : terms[0]) : tf.addN(terms);
    });
  }

  evaluate(out: tf.Tensor | null, t: number, u: tf.Tensor): tf.Tensor {
    out?.dispose();
    const du = tf.tidy(() => this.f(t, u));
    if (!(du instanceof tf.Tensor)) throw new Error(`f: the vector field must return a tf.Tensor, at t = ${t} it returned ${typeof du}`);
    if (!sameShape(du.shape, this.shape)) {
      throw new Error(`f: the vector field returned shape [${du.shape}] at t = ${t}, but the state has shape [${this.shape}]; return one derivative per component of u`);
    }
    // The solver frees slopes it no longer needs; a tensor that existed before this call (u itself, or
    // a constant the closure holds) is not ours to free, so hand back a copy instead.
    return du.id <= u.id ? tf.clone(du) : du;
  }

  errorNorm(err: tf.Tensor, u0: tf.Tensor, u1: tf.Tensor, rtol: number, atol: number): number {
    const norm = tf.tidy(() => {
      if (this.normSize !== undefined && this.normSize < err.size) {
        [err, u0, u1] = [err, u0, u1].map((x) => tf.slice(x, 0, this.normSize));
      }
      const scale = tf.add(atol, tf.mul(rtol, tf.maximum(tf.abs(u0), tf.abs(u1))));
      // With atol = 0 a zero scale is possible; divNoNan counts that component as error-free, as Float64Space does.
      return tf.sqrt(tf.mean(tf.square(atol > 0 ? tf.div(err, scale) : tf.divNoNan(err, scale))));
    });
    const value = norm.dataSync()[0];
    norm.dispose();
    return value;
  }

  snapshot(u: tf.Tensor): tf.Tensor {
    return tf.clone(u);
  }

  release(u: tf.Tensor | null): void {
    u?.dispose();
  }
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
