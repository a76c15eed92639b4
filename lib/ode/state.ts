/**
 * The solver is written once, against this small interface; a "state space" supplies the arithmetic.
 * Two implementations exist: float64 typed arrays (here) and float32 tfjs tensors (tensor-space.ts).
 *
 * Ownership rule: a method that receives `out` may overwrite it (typed arrays) or dispose it
 * (tensors), and returns the result. The solver never passes a value as `out` while it is still in use.
 *
 * @module
 */

/** Arithmetic the generic solver needs on a state `S`. */
export interface StateSpace<S> {
  /** `base + h Σ_j coef[j] · v[j]`; `base = null` means zero. Zero coefficients are skipped. */
  combine(out: S | null, base: S | null, h: number, coef: readonly number[], v: readonly (S | null)[]): S;
  /** `f(t, u)`, checked for shape; throws {@link NonFiniteField} on NaN or ±Infinity when it can tell cheaply. */
  evaluate(out: S | null, t: number, u: S): S;
  /**
   * Scaled RMS norm of `err` with per-component scale `atol + rtol · max(|u0|, |u1|)`. A component
   * whose scale is 0 (possible only with atol = 0, where u0 = u1 = 0) counts as error-free: a purely
   * relative error has no meaning at zero, and 0/0 would poison the whole norm with NaN.
   */
  errorNorm(err: S, u0: S, u1: S, rtol: number, atol: number): number;
  /** An independent copy the solver can hand to the caller. */
  snapshot(u: S): S;
  /** Frees a value the solver no longer needs. */
  release(u: S | null): void;
}

/** Thrown by a state space when f returned a non-finite value; the solver decides what it means. */
export class NonFiniteField extends Error {
  constructor(readonly t: number, readonly detail: string) {
    super(`the vector field returned ${detail} at t = ${t}`);
  }
}

/**
 * A float64 vector field. Return the derivative as an array, or write it into `du` and return nothing
 * (the in-place style of Julia's `f(du, u, p, t)`); `u` must not be modified.
 */
export type VectorField = (t: number, u: Float64Array, du: Float64Array) => ArrayLike<number> | void;

/** float64 arithmetic on a flat `Float64Array` holding `rows` states of `n` components each. */
export class Float64Space implements StateSpace<Float64Array> {
  private readonly size: number;

  /**
   * @param normSize Components that enter the error norm (default: all). The adjoint's augmented
   *   state passes only (u, a) here — a "seminorm" that leaves out the parameter-gradient integrals,
   *   which no later step depends on (Kidger, Chen & Lyons 2021).
   */
  constructor(private readonly f: VectorField, private readonly rows: number, private readonly n: number, private readonly normSize = rows * n) {
    this.size = rows * n;
  }

  combine(out: Float64Array | null, base: Float64Array | null, h: number, coef: readonly number[], v: readonly (Float64Array | null)[]): Float64Array {
    const y = out ?? new Float64Array(this.size);
    // Plain loops, not set()/fill(): for the 2–4 component states of this course the call overhead
    // of the typed-array methods costs more than the arithmetic (measured with npm run bench -- ode).
    const m = y.length;
    if (base) for (let i = 0; i < m; i++) y[i] = base[i];
    else for (let i = 0; i < m; i++) y[i] = 0;
    for (let j = 0; j < coef.length; j++) {
      const w = h * coef[j];
      if (w === 0) continue;
      const vj = v[j]!;
      for (let i = 0; i < m; i++) y[i] += w * vj[i];
    }
    return y;
  }

  evaluate(out: Float64Array | null, t: number, u: Float64Array): Float64Array {
    const du = out ?? new Float64Array(this.size);
    const n = this.n;
    // NaN marks components f did not write, so "forgot to return" cannot pass silently.
    for (let i = 0; i < du.length; i++) du[i] = NaN;
    let returnedNothing = false;
    if (this.rows === 1) {
      returnedNothing = this.copyResult(this.f(t, u, du), du, t);
    } else {
      for (let r = 0; r < this.rows; r++) {
        const slot = du.subarray(r * n, (r + 1) * n);
        returnedNothing = this.copyResult(this.f(t, u.subarray(r * n, (r + 1) * n), slot), slot, t) || returnedNothing;
      }
    }
    for (let i = 0; i < du.length; i++) {
      if (!Number.isFinite(du[i])) {
        const where = `component ${i % n}${this.rows > 1 ? ` of row ${Math.floor(i / n)}` : ""}`;
        const hint = returnedNothing && Number.isNaN(du[i]) ? " (f returned nothing: return the derivative, or write every du[i])" : "";
        throw new NonFiniteField(t, `${du[i]} in ${where}${hint}`);
      }
    }
    return du;
  }

  /** Copies f's returned array into `du`; true when f returned nothing (it should have filled `du`). */
  private copyResult(result: ArrayLike<number> | void, du: Float64Array, t: number): boolean {
    if (result === undefined) return true;
    if (result === du) return false;
    if (result === null || typeof result !== "object" || typeof result.length !== "number") {
      throw new Error(`f: the vector field must return an array of ${this.n} numbers (or fill du and return nothing); at t = ${t} it returned ${String(result)}`);
    }
    if (result.length !== this.n) {
      throw new Error(`f: the vector field returned ${result.length} values at t = ${t}, but the state has ${this.n} components; return one derivative per component of u0`);
    }
    for (let i = 0; i < this.n; i++) du[i] = result[i];
    return false;
  }

  errorNorm(err: Float64Array, u0: Float64Array, u1: Float64Array, rtol: number, atol: number): number {
    let sum = 0;
    const m = this.normSize;
    for (let i = 0; i < m; i++) {
      const scale = atol + rtol * Math.max(Math.abs(u0[i]), Math.abs(u1[i]));
      if (scale === 0) continue;
      const scaled = err[i] / scale;
      sum += scaled * scaled;
    }
    return Math.sqrt(sum / m);
  }

  snapshot(u: Float64Array): Float64Array {
    return u.slice();
  }

  release(): void {}
}
