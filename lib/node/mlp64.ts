/**
 * A dense network evaluated in float64 on typed arrays, with its vector–Jacobian product written
 * next to it. This is the neural ODE's fast path: one evaluation of a 2→50→2 MLP is a few hundred
 * multiply-adds, which plain loops do in about a microsecond, while tfjs spends microseconds per op
 * on bookkeeping alone. Tests check both directions against tfjs autodiff.
 *
 *   x₀ = u^p (elementwise; p = 1 means no transform, the lecture uses p = 3)
 *   x_l = σ_l(x_{l−1} W_l + b_l),  σ = activation for hidden layers, identity for the last
 *
 * @module
 */

import type { ActivationName } from "../tf/activations";

/** Activations with a cheap derivative expressed through the activation's output y = σ(z): the shared list. */
export type Activation = ActivationName;

/** Weights of the network: `W[l]` is row-major `[in, out]` like a tfjs Dense kernel, `b[l]` is `[out]`. */
export interface Mlp64 {
  readonly sizes: readonly number[];
  readonly activation: Activation;
  readonly inputPower: number;
  readonly W: Float64Array[];
  readonly b: Float64Array[];
}

/** Layer outputs of one evaluation, kept for the backward pass: `x[0]` is the transformed input. */
export interface MlpTape {
  readonly u: Float64Array;
  readonly x: Float64Array[];
}

/** Allocates a tape for a network of these sizes (reuse it across evaluations). */
export function newTape(sizes: readonly number[]): MlpTape {
  return { u: new Float64Array(sizes[0]), x: sizes.map((m) => new Float64Array(m)) };
}

function activate(kind: Activation, z: number): number {
  switch (kind) {
    case "tanh":
      return Math.tanh(z);
    case "relu":
      return z > 0 ? z : 0;
    case "sigmoid":
      return 1 / (1 + Math.exp(-z));
    default:
      return z;
  }
}

/** dσ/dz written in terms of y = σ(z), so the backward pass needs only the stored outputs. */
function slope(kind: Activation, y: number): number {
  switch (kind) {
    case "tanh":
      return 1 - y * y;
    case "relu":
      return y > 0 ? 1 : 0;
    case "sigmoid":
      return y * (1 - y);
    default:
      return 1;
  }
}

/** Forward: writes f(u) into `out` and fills `tape` for {@link mlpBackward}. */
export function mlpForward(net: Mlp64, u: ArrayLike<number>, out: Float64Array, tape: MlpTape): void {
  const { sizes, W, b, activation, inputPower } = net;
  const L = sizes.length - 1;
  const x0 = tape.x[0];
  for (let i = 0; i < sizes[0]; i++) {
    tape.u[i] = u[i];
    x0[i] = inputPower === 1 ? u[i] : Math.pow(u[i], inputPower);
  }
  for (let l = 0; l < L; l++) {
    const nIn = sizes[l];
    const nOut = sizes[l + 1];
    const xin = tape.x[l];
    const xout = tape.x[l + 1];
    const Wl = W[l];
    const bl = b[l];
    const kind: Activation = l === L - 1 ? "linear" : activation;
    for (let o = 0; o < nOut; o++) {
      let z = bl[o];
      for (let i = 0; i < nIn; i++) z += xin[i] * Wl[i * nOut + o];
      xout[o] = activate(kind, z);
    }
  }
  out.set(tape.x[L]);
}

/** Scratch vectors for the backward pass, one per layer width. */
export interface MlpScratch {
  readonly g: Float64Array[];
}

/** Allocates backward scratch for a network of these sizes. */
export function newScratch(sizes: readonly number[]): MlpScratch {
  return { g: sizes.map((m) => new Float64Array(m)) };
}

/**
 * Backward (vector–Jacobian product) at the point recorded in `tape`: given a = ∂L/∂f, writes
 * aᵀ ∂f/∂u into `du` (overwrites) and adds aᵀ ∂f/∂W, aᵀ ∂f/∂b into `dW`, `db` (accumulates).
 */
export function mlpBackward(net: Mlp64, tape: MlpTape, a: ArrayLike<number>, du: Float64Array, dW: Float64Array[], db: Float64Array[], scratch: MlpScratch): void {
  const { sizes, W, activation, inputPower } = net;
  const L = sizes.length - 1;
  const g = scratch.g;
  for (let o = 0; o < sizes[L]; o++) g[L][o] = a[o]; // output layer is linear
  for (let l = L - 1; l >= 0; l--) {
    const nIn = sizes[l];
    const nOut = sizes[l + 1];
    const gout = g[l + 1];
    const xin = tape.x[l];
    const Wl = W[l];
    const dWl = dW[l];
    const dbl = db[l];
    for (let o = 0; o < nOut; o++) dbl[o] += gout[o];
    const gin = g[l];
    const kindIn: Activation | null = l > 0 ? activation : null;
    for (let i = 0; i < nIn; i++) {
      const xi = xin[i];
      let acc = 0;
      const row = i * nOut;
      for (let o = 0; o < nOut; o++) {
        dWl[row + o] += xi * gout[o];
        acc += Wl[row + o] * gout[o];
      }
      // Through the activation that produced x_l (none for the input layer).
      gin[i] = kindIn ? acc * slope(kindIn, xi) : acc;
    }
  }
  for (let i = 0; i < sizes[0]; i++) {
    const ui = tape.u[i];
    du[i] = inputPower === 1 ? g[0][i] : g[0][i] * inputPower * Math.pow(ui, inputPower - 1);
  }
}

/** Number of parameters (weights and biases). */
export function parameterCount(sizes: readonly number[]): number {
  let count = 0;
  for (let l = 0; l + 1 < sizes.length; l++) count += sizes[l] * sizes[l + 1] + sizes[l + 1];
  return count;
}
