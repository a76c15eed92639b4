/**
 * A dense network used as the right-hand side of a neural ODE, u' = f(u; θ). It lives in tfjs
 * variables (so optimisers and autodiff work as usual) and can hand its weights to the float64
 * fast path ({@link Mlp64}).
 *
 * @module
 */
import { tf } from "../tf/backend";
import { ACTIVATIONS, applyActivation } from "../tf/activations";
import type { Activation, Mlp64 } from "./mlp64";
import { parameterCount } from "./mlp64";

/** A trainable vector field on tensors: anything the neural ODE can integrate. */
export interface FieldModel {
  /** Trainable parameters, in a fixed order. */
  readonly params: readonly tf.Variable[];
  /** f(u, t) for u of shape `[n]` or `[B, n]`; returns the same shape. */
  apply(u: tf.Tensor, t: number): tf.Tensor;
}

/** Options of {@link denseField}. */
export interface DenseFieldOptions {
  /** Layer widths `[n, hidden…, n]`; input and output must match, as f maps states to derivatives. */
  sizes: readonly number[];
  /** Activation of the hidden layers (the last layer is linear). Default `"tanh"`, as in the lecture. */
  activation?: Activation;
  /** Elementwise power applied to the input first, e.g. 3 for the lecture's `x -> x.^3`. Default 1. */
  inputPower?: number;
  /** Seed of the Glorot-uniform initialiser, so runs can be reproduced. Default 0. */
  seed?: number;
}

/** Frozen defaults of {@link DenseFieldOptions}. */
export const DEFAULT_DENSE_FIELD = Object.freeze({ activation: "tanh" as Activation, inputPower: 1, seed: 0 });

/** An MLP vector field. Build one with {@link denseField}. */
export class DenseField implements FieldModel {
  readonly sizes: readonly number[];
  readonly activation: Activation;
  readonly inputPower: number;
  /** `kernels[l]` has shape `[sizes[l], sizes[l+1]]`, like a tfjs Dense kernel. */
  readonly kernels: tf.Variable[];
  readonly biases: tf.Variable[];

  constructor(options: DenseFieldOptions) {
    const o = { ...DEFAULT_DENSE_FIELD, ...options };
    const { sizes } = o;
    if (!Array.isArray(sizes) || sizes.length < 2 || !sizes.every((m) => Number.isInteger(m) && m > 0)) {
      throw new Error(`sizes must list at least two positive integer layer widths, e.g. [2, 50, 2]; got ${JSON.stringify(sizes)}`);
    }
    if (sizes[0] !== sizes[sizes.length - 1]) {
      throw new Error(`sizes: a vector field maps a state to its derivative, so the first and last widths must match; got ${sizes[0]} and ${sizes[sizes.length - 1]}`);
    }
    if (!(ACTIVATIONS as readonly string[]).includes(o.activation)) {
      throw new Error(`activation must be one of ${ACTIVATIONS.join(", ")}; got ${JSON.stringify(o.activation)}`);
    }
    if (!(Number.isInteger(o.inputPower) && o.inputPower >= 1)) throw new Error(`inputPower must be a positive integer (3 for u.^3); got ${o.inputPower}`);
    this.sizes = Object.freeze([...sizes]);
    this.activation = o.activation;
    this.inputPower = o.inputPower;
    this.kernels = [];
    this.biases = [];
    for (let l = 0; l + 1 < sizes.length; l++) {
      // Glorot uniform, zero bias: Flux's and Keras's default for Dense. One seed per layer keeps layers different.
      const init = tf.initializers.glorotUniform({ seed: o.seed * 1000 + l });
      this.kernels.push(adopt(tf.tidy(() => init.apply([sizes[l], sizes[l + 1]]))));
      this.biases.push(adopt(tf.zeros([sizes[l + 1]])));
    }
  }

  /** Parameters interleaved as [W₁, b₁, W₂, b₂, …] — the order of the fast path's flat gradient. */
  get params(): tf.Variable[] {
    return this.kernels.flatMap((W, l) => [W, this.biases[l]]);
  }

  /** Number of trainable numbers. */
  get parameterCount(): number {
    return parameterCount(this.sizes);
  }

  apply(u: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const batch = u.rank === 1 ? u.expandDims(0) : u;
      let x = this.inputPower === 1 ? batch : tf.pow(batch, this.inputPower);
      const L = this.kernels.length;
      for (let l = 0; l < L; l++) {
        const z = tf.add(tf.matMul(x as tf.Tensor2D, this.kernels[l]), this.biases[l]);
        x = l === L - 1 ? z : applyActivation(this.activation, z);
      }
      return u.rank === 1 ? x.squeeze([0]) : x;
    });
  }

  /** A float64 copy of the current weights for the fast path (one read of each variable). */
  toMlp64(): Mlp64 {
    return {
      sizes: this.sizes,
      activation: this.activation,
      inputPower: this.inputPower,
      W: this.kernels.map((W) => Float64Array.from(W.dataSync())),
      b: this.biases.map((b) => Float64Array.from(b.dataSync())),
    };
  }

  /** Frees the variables. */
  dispose(): void {
    this.params.forEach((v) => v.dispose());
  }
}

/** tf.variable copies its initial value instead of taking it over, so the value is freed here. */
function adopt(value: tf.Tensor): tf.Variable {
  const variable = tf.variable(value, true);
  value.dispose();
  return variable;
}


/** An MLP vector field, e.g. the lecture's `Chain(x -> x.^3, Dense(2, 50, tanh), Dense(50, 2))` is `denseField({ sizes: [2, 50, 2], inputPower: 3 })`. */
export function denseField(options: DenseFieldOptions): DenseField {
  return new DenseField(options);
}

/** Wraps a tfjs layers model (e.g. a `tf.sequential`) whose input and output have n features as a field. */
export function fieldFromLayers(model: tf.LayersModel): FieldModel {
  const params = model.trainableWeights.map((w) => w.read() as tf.Variable);
  return {
    params,
    apply: (u) => tf.tidy(() => (u.rank === 1 ? (model.apply(u.expandDims(0)) as tf.Tensor).squeeze([0]) : (model.apply(u) as tf.Tensor))),
  };
}
