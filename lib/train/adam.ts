/**
 * Adam over all parameters at once. tfjs's `tf.train.adam` updates each variable separately, about
 * 14 kernels per variable; the lecture's 4-layer net has 8 tiny variables, so that is ~116 kernels
 * per step, more than the forward and backward passes together (~110). Each kernel costs a few µs
 * whatever its size, so we concatenate the gradients, update one flat moment pair, and split the
 * step back: 3n + 13 kernels (29 for the lecture's nets).
 *
 * The update is Kingma & Ba's, as in Flux and tfjs: m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g²,
 * θ ← θ − η·m̂ / (√v̂ + ε) with m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ), computed in the algebraically equal
 * form θ ← θ − a·m / (√v + ε̂), a = η√(1−β₂ᵗ)/(1−β₁ᵗ), ε̂ = ε√(1−β₂ᵗ), whose scalars come from JS.
 *
 * @module
 */
import { tf } from "../tf/backend";
import { defineOptions, type Rules } from "../options/schema";
import { numberIn, positiveNumber } from "../options/rules";

/** Adam hyper-parameters. */
export interface AdamOptions {
  /** Step size η. Default 1e-3 (Flux's `Adam()`). */
  learningRate?: number;
  /** Decay of the first moment. Default 0.9. */
  beta1?: number;
  /** Decay of the second moment. Default 0.999. */
  beta2?: number;
  /** Guards the division. Default 1e-8 (Flux's). */
  epsilon?: number;
}

/** Flux's `Adam()` defaults. */
export const DEFAULT_ADAM: Readonly<Required<AdamOptions>> = Object.freeze({ learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 });

const ADAM_SCHEMA = defineOptions<AdamOptions, typeof DEFAULT_ADAM>({
  // The same meaning as fit's learningRate (a positive, finite number).
  learningRate: positiveNumber("1e-3"),
  beta1: numberIn(0, 1, { openMax: true, example: "0.9" }),
  beta2: numberIn(0, 1, { openMax: true, example: "0.999" }),
  epsilon: positiveNumber("1e-8"),
} satisfies Rules<AdamOptions>, DEFAULT_ADAM, "{ learningRate: 1e-3 }");

/** Adam state for a fixed list of variables. Call {@link FlatAdam.dispose} when done. */
export class FlatAdam {
  private readonly o: Required<AdamOptions>;
  private readonly sizes: number[];
  private readonly m: tf.Variable;
  private readonly v: tf.Variable;
  private readonly consts: tf.Scalar[];
  private t = 0;

  constructor(private readonly vars: readonly tf.Variable[], options?: AdamOptions) {
    this.o = ADAM_SCHEMA.parse(options, "FlatAdam");
    const { beta1, beta2 } = this.o;
    if (vars.length === 0) throw new Error("Adam: the model has no trainable weights");
    this.sizes = vars.map((x) => x.size);
    const total = this.sizes.reduce((a, b) => a + b, 0);
    // A variable keeps its own reference to the data, so the initial zeros must be freed separately.
    [this.m, this.v] = [0, 1].map(() => {
      const init = tf.zeros([total]);
      const variable = tf.variable(init, false);
      init.dispose();
      return variable;
    });
    // Created once: tf.mul(x, 0.9) would build a new scalar tensor on every call.
    this.consts = [tf.scalar(beta1), tf.scalar(1 - beta1), tf.scalar(beta2), tf.scalar(1 - beta2)];
  }

  /** One Adam step; `grads[i]` is the gradient of `vars[i]`. Frees all temporaries. */
  apply(grads: readonly tf.Tensor[]): void {
    this.t += 1;
    const { learningRate, beta1, beta2, epsilon } = this.o;
    const c2 = Math.sqrt(1 - beta2 ** this.t);
    const a = (learningRate * c2) / (1 - beta1 ** this.t);
    const [b1, ob1, b2, ob2] = this.consts;
    tf.tidy(() => {
      const flat = grads.length === 1 ? flatten(grads[0]) : tf.concat(grads.map(flatten));
      const m = tf.add(tf.mul(this.m, b1), tf.mul(flat, ob1));
      const v = tf.add(tf.mul(this.v, b2), tf.mul(tf.square(flat), ob2));
      this.m.assign(m);
      this.v.assign(v);
      const step = tf.div(tf.mul(m, a), tf.add(tf.sqrt(v), epsilon * c2));
      const parts = this.vars.length === 1 ? [step] : tf.split(step, this.sizes);
      this.vars.forEach((x, i) => x.assign(tf.sub(x, x.rank === 1 ? parts[i] : tf.reshape(parts[i], x.shape))));
    });
  }

  /** Frees the moment estimates and constants. */
  dispose(): void {
    this.m.dispose();
    this.v.dispose();
    this.consts.forEach((c) => c.dispose());
  }
}

function flatten(g: tf.Tensor): tf.Tensor {
  return g.rank === 1 ? g : tf.reshape(g, [-1]);
}
