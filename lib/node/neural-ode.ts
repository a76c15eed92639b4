/**
 * NeuralODE: a trainable vector field integrated over a time span, after DiffEqFlux's
 * `NeuralODE(model, tspan, Tsit5(), saveat = t, reltol, abstol)` and Chen et al. (2018).
 *
 * The parameter count is that of the field alone, whatever the number of solver steps — the
 * lecture's O(1) memory for weights, against O(L) for an L-block ResNet.
 *
 * @module
 */
import { tf } from "../tf/backend";
import { resolveSettings, type Settings, type SolveOptions } from "../ode/options";
import { solveTensor } from "../ode/solve-tensor";
import { DenseField, fieldFromLayers, type FieldModel } from "./dense-field";
import { adjointFast, backpropFast, forwardFast, type FastProblem } from "./fast-sensitivity";
import { adjointTensor } from "./tensor-sensitivity";
import { checkField, checkInitialState, NEURAL_ODE_OPTIONS } from "./boundary";
import { checkValue } from "../options/schema";
import { func } from "../options/rules";

const LOSS_OF_RULE = func("(pred) => scalar, such as pred => tf.sum(tf.squaredDifference(pred, data))");

/** How gradients are computed: reverse mode through the solver, or the adjoint ODE solved backwards. */
export type Sensitivity = "backprop" | "adjoint";

/** Options of a {@link NeuralODE}. Solver options are those of `solve`. */
export interface NeuralODEOptions extends Omit<SolveOptions, "saveat" | "onFailure"> {
  /** Integration interval `[t0, t1]`. */
  tspan: readonly [number, number];
  /** Output times; default `[t1]` (map initial states to final states). */
  saveat?: readonly number[];
  /** Gradient method; default `"backprop"` (faster here; the adjoint saves memory on long solves). */
  sensitivity?: Sensitivity;
  /**
   * Evaluate dense fields ({@link DenseField}) in float64 on typed arrays with hand-written gradients,
   * instead of tfjs ops. Default true; other fields always use tfjs.
   */
  fastPath?: boolean;
}

/** Frozen defaults of the neural-ODE-specific options. */
export const DEFAULT_NEURAL_ODE_OPTIONS = Object.freeze({ sensitivity: "backprop" as Sensitivity, fastPath: true });

/** Work done by the last {@link NeuralODE.lossAndGradients} call. */
export interface GradientStats {
  /** Field evaluations in the forward solve. */
  nfeForward: number;
  /**
   * Field evaluations (each with a vector–Jacobian product) in the backward pass. On the tensor
   * backprop path tfjs's tape does that work unseen, so `nfeForward` is reported: an upper bound,
   * since the tape drops rejected trial steps.
   */
  nfeBackward: number;
  /** Accepted forward steps. */
  steps: number;
  /** Which implementation ran. */
  path: "float64" | "tensor";
  /**
   * Numbers held between the forward and the backward pass (float64 path only): grows with the
   * step count for backprop, stays at saveat × state size for the adjoint. On the tensor path use
   * `tf.profile` to see the same contrast in bytes.
   */
  storedValues?: number;
}

/** Result of {@link NeuralODE.lossAndGradients}. The caller disposes `grads` (an optimiser's applyGradients does not). */
export interface LossAndGradients {
  loss: number;
  /** ∂loss/∂θ keyed by variable name, ready for `optimizer.applyGradients`. */
  grads: tf.NamedTensorMap;
  stats: GradientStats;
}

type InitialState = tf.Tensor | readonly number[] | readonly (readonly number[])[];

/** A neural ODE u' = f(u; θ) on `tspan`, returning the states at `saveat`. */
export class NeuralODE {
  /** The vector field f(u; θ) being integrated (a LayersModel given to the constructor is wrapped). */
  readonly field: FieldModel;
  /** How {@link lossAndGradients} computes gradients. */
  readonly sensitivity: Sensitivity;
  /** True when the float64 fast path runs: asked for, and the field is a {@link DenseField}. */
  readonly fastPath: boolean;
  /** State components the field takes, when it says (a DenseField, a LayersModel); `u0` is checked against it. */
  readonly stateSize: number | undefined;
  private readonly settings: Settings;
  private readonly solveOptions: SolveOptions;

  /**
   * @param field the vector field f(u; θ): a {@link DenseField} (fast float64 path), any
   *   {@link FieldModel}, or a tfjs LayersModel mapping `[B, n]` to `[B, n]` (wrapped with `fieldFromLayers`).
   */
  constructor(field: FieldModel | tf.LayersModel, options: NeuralODEOptions) {
    this.stateSize = checkField(field, "NeuralODE");
    if (field instanceof tf.LayersModel) field = fieldFromLayers(field);
    const { tspan, sensitivity, fastPath, saveat, ...solver } = { ...DEFAULT_NEURAL_ODE_OPTIONS, ...NEURAL_ODE_OPTIONS.parse(options, "NeuralODE") };
    this.solveOptions = { ...solver, saveat: saveat ?? [tspan[1]] };
    this.settings = resolveSettings(tspan, this.solveOptions, "NeuralODE");
    this.field = field;
    this.sensitivity = sensitivity;
    this.fastPath = fastPath && field instanceof DenseField;
  }

  /** Output times. */
  get saveat(): readonly number[] {
    return this.settings.saveat!;
  }

  /** Trainable numbers in the field — independent of how many steps the solver takes. */
  get parameterCount(): number {
    return this.field.params.reduce((acc, p) => acc + p.size, 0);
  }

  /** States at `saveat`: shape `[T, n]` for one initial state, `[T, B, n]` for a batch. No gradients. */
  predict(u0: InitialState): tf.Tensor {
    checkInitialState(u0, this.stateSize, "NeuralODE.predict");
    if (this.fastPath) {
      const { problem, shape } = this.fastProblem(u0);
      const fwd = forwardFast(problem, false);
      return stackRows(fwd.ys, shape);
    }
    return this.forward(u0);
  }

  /**
   * States at `saveat` as a differentiable tfjs computation (backprop through the solver with tfjs
   * autodiff), for use inside your own `tf.variableGrads`. Slower than {@link lossAndGradients}.
   */
  forward(u0: InitialState): tf.Tensor {
    checkInitialState(u0, this.stateSize, "NeuralODE.forward");
    return solveTensor((t, u) => this.field.apply(u, t), toTensor(u0), [this.settings.t0, this.settings.t1], this.solveOptions).u;
  }

  /**
   * The loss of the prediction from `u0` and its gradient with respect to the field's parameters,
   * by the configured sensitivity method. `lossOf` maps the prediction (shape as {@link predict})
   * to a scalar, e.g. `pred => tf.sum(tf.squaredDifference(pred, data))`.
   */
  lossAndGradients(u0: InitialState, lossOf: (pred: tf.Tensor) => tf.Scalar): LossAndGradients {
    checkInitialState(u0, this.stateSize, "NeuralODE.lossAndGradients");
    checkValue({ fn: "NeuralODE.lossAndGradients", path: "lossOf" }, LOSS_OF_RULE, lossOf);
    if (this.fastPath) return this.fastGradients(u0, lossOf);
    const start = toTensor(u0);
    try {
      return this.sensitivity === "backprop" ? this.tensorBackprop(start, lossOf) : this.tensorAdjoint(start, lossOf);
    } finally {
      if (start !== u0) start.dispose();
    }
  }

  private fastGradients(u0: InitialState, lossOf: (pred: tf.Tensor) => tf.Scalar): LossAndGradients {
    const { problem, shape } = this.fastProblem(u0);
    const record = this.sensitivity === "backprop";
    const fwd = forwardFast(problem, record);
    const pred = stackRows(fwd.ys, shape);
    const { value, grad } = tf.valueAndGrad(lossOf)(pred);
    const loss = value.dataSync()[0];
    const seedFlat = Float64Array.from(grad.dataSync());
    tf.dispose([pred, value, grad]);
    const size = problem.u0.length;
    const seeds = fwd.ys.map((_, j) => seedFlat.subarray(j * size, (j + 1) * size));
    const back = record ? backpropFast(problem, fwd, seeds) : adjointFast(problem, fwd, seeds);
    const grads: tf.NamedTensorMap = {};
    let offset = 0;
    for (const v of this.field.params) {
      grads[v.name] = tf.tensor(Float32Array.from(back.dtheta.subarray(offset, offset + v.size)), v.shape, "float32");
      offset += v.size;
    }
    return { loss, grads, stats: { nfeForward: fwd.nfe, nfeBackward: back.nfe, steps: fwd.accepted, path: "float64", storedValues: back.storedValues } };
  }

  private tensorBackprop(u0: tf.Tensor, lossOf: (pred: tf.Tensor) => tf.Scalar): LossAndGradients {
    let nfeForward = 0;
    let steps = 0;
    const { value, grads } = tf.variableGrads(() => {
      const sol = solveTensor((t, u) => this.field.apply(u, t), u0, [this.settings.t0, this.settings.t1], this.solveOptions);
      nfeForward = sol.stats.nfe;
      steps = sol.stats.accepted;
      return lossOf(sol.u);
    }, this.field.params as tf.Variable[]);
    const loss = value.dataSync()[0];
    value.dispose();
    // Not counted: tfjs replays each recorded evaluation at most once (see GradientStats.nfeBackward).
    return { loss, grads, stats: { nfeForward, nfeBackward: nfeForward, steps, path: "tensor" } };
  }

  private tensorAdjoint(u0: tf.Tensor, lossOf: (pred: tf.Tensor) => tf.Scalar): LossAndGradients {
    const sol = solveTensor((t, u) => this.field.apply(u, t), u0, [this.settings.t0, this.settings.t1], this.solveOptions);
    const { value, grad } = tf.valueAndGrad(lossOf)(sol.u);
    const loss = value.dataSync()[0];
    const back = adjointTensor(this.field, sol.u, grad, this.settings);
    tf.dispose([sol.u, value, grad, back.du0]);
    const grads: tf.NamedTensorMap = {};
    this.field.params.forEach((v, i) => (grads[v.name] = back.grads[i]));
    return { loss, grads, stats: { nfeForward: sol.stats.nfe, nfeBackward: back.nfe, steps: sol.stats.accepted, path: "tensor" } };
  }

  private fastProblem(u0: InitialState): { problem: FastProblem; shape: number[] } {
    const field = this.field as DenseField;
    const n = field.sizes[0];
    const values = u0 instanceof tf.Tensor ? u0.dataSync() : (u0 as readonly (number | readonly number[])[]).flat();
    const shape = u0 instanceof tf.Tensor ? u0.shape : Array.isArray(u0[0]) ? [u0.length, (u0[0] as readonly number[]).length] : [u0.length];
    if (shape[shape.length - 1] !== n || shape.length > 2) {
      throw new Error(`u0 must have shape [${n}] or [B, ${n}] for this field; got [${shape}]`);
    }
    const flat = Float64Array.from(values as ArrayLike<number>);
    if (!flat.every(Number.isFinite)) throw new Error("u0 must hold finite numbers");
    return { problem: { net: field.toMlp64(), rows: shape.length === 2 ? shape[0] : 1, u0: flat, settings: this.settings }, shape };
  }
}

function toTensor(u0: InitialState): tf.Tensor {
  return u0 instanceof tf.Tensor ? u0 : tf.tensor(u0 as number[], undefined, "float32");
}

/** float64 states at the output times → a float32 tensor `[T, ...stateShape]`. */
function stackRows(ys: readonly Float64Array[], stateShape: readonly number[]): tf.Tensor {
  const size = ys.length > 0 ? ys[0].length : 0;
  const flat = new Float32Array(ys.length * size);
  ys.forEach((y, j) => flat.set(y, j * size));
  return tf.tensor(flat, [ys.length, ...stateShape], "float32");
}
