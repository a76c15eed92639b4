/**
 * Neural-ODE gradients in float64 for dense networks (the fast path). Forward solves use the same
 * generic integrator as everything else; the backward passes are written out here.
 *
 * - backprop ("discretise, then optimise"): record every accepted step, then run reverse mode through
 *   each Runge–Kutta step and through the dense-output formulas. Exact gradient of the computed
 *   solution; memory grows with the number of steps.
 * - adjoint ("optimise, then discretise", Chen et al. 2018): solve the augmented system
 *   [u, a, ḡ]' = [f(u), −aᵀ∂f/∂u, −aᵀ∂f/∂θ] backwards from the last output time, adding ∂L/∂u(t_k)
 *   to a at each output time and resetting u to the stored forward value there. Memory does not
 *   depend on the number of steps.
 *
 * @module
 */
import { integrate } from "../ode/integrate";
import type { Settings } from "../ode/options";
import { denseWeights } from "../ode/tableau";
import { Float64Space, type VectorField } from "../ode/state";
import { mlpBackward, mlpForward, newScratch, newTape, parameterCount, type Mlp64 } from "./mlp64";

/** A neural ODE u' = net(u) on `rows` states of `n` components, flattened. */
export interface FastProblem {
  readonly net: Mlp64;
  readonly rows: number;
  readonly u0: Float64Array;
  /** Solver settings; `saveat` must be set. */
  readonly settings: Settings;
}

/** One accepted step, copied out of the solver's buffers. */
interface StepRecord {
  t: number;
  h: number;
  tEnd: number;
  u: Float64Array;
  k: Float64Array[];
}

/** Result of a forward solve: states at `saveat`, plus the steps when recorded. */
export interface FastForward {
  readonly ys: Float64Array[];
  readonly steps: StepRecord[] | null;
  readonly nfe: number;
  readonly accepted: number;
}

/** Gradients of the loss: with respect to u0 and to the flat parameter vector [W₁, b₁, W₂, b₂, …]. */
export interface FastGradients {
  readonly du0: Float64Array;
  readonly dtheta: Float64Array;
  readonly nfe: number;
  /** float64 values held for the backward pass — the memory that backprop and the adjoint trade. */
  readonly storedValues: number;
}

/** The network as a row-wise float64 vector field (its tape is reused from call to call). */
function netField(net: Mlp64): VectorField {
  const tape = newTape(net.sizes);
  return (_t, u, du) => {
    mlpForward(net, u, du, tape);
  };
}

/** Solves forward and returns the states at saveat; with `record`, also every accepted step. */
export function forwardFast(p: FastProblem, record: boolean): FastForward {
  const n = p.net.sizes[0];
  const steps: StepRecord[] = [];
  const observer = (t: number, h: number, u: Float64Array, k: readonly (Float64Array | null)[]) => {
    steps.push({ t, h, tEnd: t + h, u: u.slice(), k: k.map((ki) => ki!.slice()) });
  };
  const raw = integrate(new Float64Space(netField(p.net), p.rows, n), p.u0, p.settings, record ? observer : undefined);
  // The solver lands the last step exactly on t1 (t + h may round differently); make the record agree.
  if (record && steps.length > 0) steps[steps.length - 1].tEnd = p.settings.t1;
  return { ys: raw.u, steps: record ? steps : null, nfe: raw.stats.nfe, accepted: raw.stats.accepted };
}

/** Row-wise VJP helper: evaluates the net at every row of U and back-propagates `a`. */
class RowVjp {
  private readonly tape;
  private readonly scratch;
  private readonly out: Float64Array;
  private readonly duRow: Float64Array;
  constructor(private readonly net: Mlp64, private readonly rows: number) {
    this.tape = newTape(net.sizes);
    this.scratch = newScratch(net.sizes);
    this.out = new Float64Array(net.sizes[0]);
    this.duRow = new Float64Array(net.sizes[0]);
  }
  /** du ← aᵀ∂f/∂u (row by row, overwrites) and dW, db += aᵀ∂f/∂θ. Optionally writes f(U) into fOut. */
  run(U: Float64Array, a: Float64Array, du: Float64Array, dW: Float64Array[], db: Float64Array[], fOut?: Float64Array): void {
    const n = this.net.sizes[0];
    for (let r = 0; r < this.rows; r++) {
      const row = U.subarray(r * n, (r + 1) * n);
      mlpForward(this.net, row, this.out, this.tape);
      if (fOut) fOut.set(this.out, r * n);
      mlpBackward(this.net, this.tape, a.subarray(r * n, (r + 1) * n), this.duRow, dW, db, this.scratch);
      du.set(this.duRow, r * n);
    }
  }
}

const zerosLike = (xs: readonly Float64Array[]) => xs.map((x) => new Float64Array(x.length));
const axpy = (y: Float64Array, w: number, x: Float64Array) => {
  for (let i = 0; i < y.length; i++) y[i] += w * x[i];
};
function flatten(dW: Float64Array[], db: Float64Array[]): Float64Array {
  const out = new Float64Array(dW.reduce((s, w, l) => s + w.length + db[l].length, 0));
  let o = 0;
  dW.forEach((w, l) => {
    out.set(w, o);
    o += w.length;
    out.set(db[l], o);
    o += db[l].length;
  });
  return out;
}

/**
 * Reverse mode through the recorded steps. `seeds[j]` = ∂L/∂y(saveat[j]). Each output is
 * y = α·u_n + β·u_{n+1} + h Σ γ_i k_i + δ·f(u_{n+1}) inside its step (dense output: α = 1, β = δ = 0;
 * cubic Hermite otherwise), so its seed spreads over those terms before the step is reversed.
 */
export function backpropFast(p: FastProblem, fwd: FastForward, seeds: readonly Float64Array[]): FastGradients {
  const tab = p.settings.tableau;
  const steps = fwd.steps!;
  const saveat = p.settings.saveat!;
  const size = p.u0.length;
  const s = tab.c.length;
  const vjp = new RowVjp(p.net, p.rows);
  const dW = zerosLike(p.net.W);
  const db = zerosLike(p.net.b);
  let nfe = 0;

  // Per step: seeds on u_n, on u_{n+1} and on its stages; after the last step of a non-FSAL method, on f(u_N).
  const uBarEnd = steps.map(() => new Float64Array(size));
  const kBar = steps.map(() => Array.from({ length: s }, () => new Float64Array(size)));
  const fEndBar = steps.map(() => new Float64Array(size));
  const uBarStart = steps.map(() => new Float64Array(size));
  const du0 = new Float64Array(size);
  const dir = Math.sign(p.settings.t1 - p.settings.t0);
  let n = 0;
  saveat.forEach((time, j) => {
    const seed = seeds[j];
    if (time === p.settings.t0) return axpy(du0, 1, seed);
    while (dir * (time - steps[n].tEnd) > 0) n++;
    const st = steps[n];
    if (time === st.tEnd) return axpy(uBarEnd[n], 1, seed);
    const theta = (time - st.t) / st.h;
    if (tab.dense) {
      axpy(uBarStart[n], 1, seed);
      denseWeights(tab, theta).forEach((w, i) => axpy(kBar[n][i], st.h * w, seed));
      return;
    }
    const t2 = theta * theta;
    const t3 = t2 * theta;
    const h01 = 3 * t2 - 2 * t3;
    axpy(uBarStart[n], 1 - h01, seed);
    axpy(uBarEnd[n], h01, seed);
    axpy(kBar[n][0], st.h * (t3 - 2 * t2 + theta), seed);
    // f(u_{n+1}): the last stage of an FSAL method, else the next step's k₀ (or, after the last step, an extra evaluation).
    const fEnd = tab.fsal ? kBar[n][s - 1] : n + 1 < steps.length ? kBar[n + 1][0] : fEndBar[n];
    axpy(fEnd, st.h * (t3 - t2), seed);
  });

  const U = new Float64Array(size);
  const Ubar = new Float64Array(size);
  let carry = new Float64Array(size); // ∂L/∂u_{n+1} from the steps after n
  for (let m = steps.length - 1; m >= 0; m--) {
    const st = steps[m];
    const uBar = uBarEnd[m];
    axpy(uBar, 1, carry);
    if (m === steps.length - 1 && fEndBar[m].some((x) => x !== 0)) {
      const end = new Float64Array(size);
      for (let i = 0; i < size; i++) end[i] = st.u[i];
      for (let i = 0; i < s; i++) axpy(end, st.h * tab.b[i], st.k[i]);
      vjp.run(end, fEndBar[m], Ubar, dW, db);
      nfe++;
      axpy(uBar, 1, Ubar);
    }
    const kb = kBar[m];
    const next = uBarStart[m];
    axpy(next, 1, uBar);
    for (let i = 0; i < s; i++) axpy(kb[i], st.h * tab.b[i], uBar);
    for (let i = s - 1; i >= 0; i--) {
      if (!kb[i].some((x) => x !== 0)) continue;
      for (let q = 0; q < size; q++) U[q] = st.u[q];
      for (let j = 0; j < i; j++) axpy(U, st.h * tab.a[i][j], st.k[j]);
      vjp.run(U, kb[i], Ubar, dW, db);
      nfe++;
      axpy(next, 1, Ubar);
      for (let j = 0; j < i; j++) if (tab.a[i][j] !== 0) axpy(kb[j], st.h * tab.a[i][j], Ubar);
    }
    carry = next;
  }
  axpy(du0, 1, carry);
  const stored = steps.reduce((acc, st) => acc + st.u.length * (1 + st.k.length), 0);
  return { du0, dtheta: flatten(dW, db), nfe, storedValues: stored };
}

/**
 * The adjoint method: augmented state z = [u, a, ḡ] solved backwards between output times with the
 * same method and tolerances (error norm over u and a only). Needs the forward states at saveat only.
 */
export function adjointFast(p: FastProblem, fwd: FastForward, seeds: readonly Float64Array[]): FastGradients {
  const size = p.u0.length;
  const P = parameterCount(p.net.sizes);
  const { saveat, t0 } = p.settings;
  const times = saveat!;
  const vjp = new RowVjp(p.net, p.rows);
  const dW = zerosLike(p.net.W);
  const db = zerosLike(p.net.b);
  const du = new Float64Array(size);
  // z' = [f(u), −aᵀ∂f/∂u, −aᵀ∂f/∂θ]; ḡ's derivative is the negated per-evaluation parameter VJP.
  const augmented: VectorField = (_t, z, dz) => {
    dW.forEach((w) => w.fill(0));
    db.forEach((b) => b.fill(0));
    vjp.run(z.subarray(0, size), z.subarray(size, 2 * size), du, dW, db, dz.subarray(0, size));
    for (let i = 0; i < size; i++) dz[size + i] = -du[i];
    // Written straight into dz in flat order [W₁, b₁, W₂, b₂, …]: this runs at every evaluation.
    let o = 2 * size;
    dW.forEach((w, l) => {
      for (let i = 0; i < w.length; i++) dz[o++] = -w[i];
      for (let i = 0; i < db[l].length; i++) dz[o++] = -db[l][i];
    });
  };
  const space = new Float64Space(augmented, 1, 2 * size + P, 2 * size);
  const z = new Float64Array(2 * size + P);
  let nfe = 0;
  const last = times.length - 1;
  z.set(fwd.ys[last], 0);
  z.set(seeds[last], size);
  // Walk back through the output times (and finally to t0), re-seeding a and resetting u at each.
  for (let j = last; j >= 0; j--) {
    const from = times[j];
    const to = j > 0 ? times[j - 1] : t0;
    if (from !== to) {
      // Same method and tolerances backwards; a fixed-step forward solve gets the same fixed step.
      const settings = { ...p.settings, t0: from, t1: to, saveat: [to], dt: p.settings.adaptive ? undefined : p.settings.dt };
      const raw = integrate(space, z, settings);
      nfe += raw.stats.nfe;
      z.set(raw.u[0]);
    }
    if (j > 0) {
      z.set(fwd.ys[j - 1], 0);
      axpy(z.subarray(size, 2 * size), 1, seeds[j - 1]);
    }
  }
  return { du0: z.slice(size, 2 * size), dtheta: z.slice(2 * size), nfe, storedValues: fwd.ys.reduce((n, y) => n + y.length, 0) };
}
