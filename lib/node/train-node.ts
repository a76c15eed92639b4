/**
 * Training a neural ODE on trajectory data: the lecture's loop
 *   loss() = sum(abs2, data .- n_ode(u0));  Flux.train!(loss, ps, repeated((), epochs), ADAM(0.1))
 *
 * @module
 */
import { tf } from "../tf/backend";
import { resolveLoss, type LossFn, type LossName } from "../train/losses";
import { resolveProgress, type ProgressOption } from "../train/progress";
import { stopReason, type EpochInfo, type StopReason } from "../train/stopping";
import type { NeuralODE } from "./neural-ode";
import { checkTrainingData, TRAIN_NODE_OPTIONS } from "./boundary";

/** Loss between prediction and data: `"sse"`, `"mse"` or your own `(pred, data) => scalar`. */
export type NodeLoss = LossName | LossFn;

/** What callbacks and stop conditions see after each epoch: {@link EpochInfo} plus the solver's work. */
export interface NodeEpochInfo extends EpochInfo {
  /** Field evaluations in this epoch's forward solve. */
  readonly nfeForward: number;
  /** Field evaluations (with vector–Jacobian products) in this epoch's backward pass. */
  readonly nfeBackward: number;
}

/** Options of {@link trainNeuralODE}. */
export interface TrainNodeOptions {
  /** Epochs (full-data gradient steps). Required. */
  epochs: number;
  /** Adam's learning rate when no optimizer is given. Default 0.01. */
  learningRate?: number;
  /** Any tfjs optimizer; default Adam(learningRate). Its state is yours. */
  optimizer?: tf.Optimizer;
  /** Default `"sse"`, the lecture's `sum(abs2, data .- pred)`. */
  loss?: NodeLoss;
  /** Stop once the loss is below this. */
  targetLoss?: number;
  /** Stop after the epoch where this returns true (e.g. `({ loss }) => loss < 1e-3`). */
  stopWhen?: (info: NodeEpochInfo) => boolean;
  /** Called every `callbackEvery` epochs; return `false` to stop training. */
  callback?: (info: NodeEpochInfo) => boolean | void;
  /** Epochs between callback calls. Default 1, as in `fit`. */
  callbackEvery?: number;
  /**
   * Where progress goes: `"auto"` (default: an updating line in a notebook, a bar in a terminal,
   * nothing otherwise), `true`, `false`, or any reporter such as `liveLossPlot()`.
   */
  progress?: ProgressOption;
}

/** Frozen defaults of {@link TrainNodeOptions}. */
export const DEFAULT_TRAIN_NODE = Object.freeze({ learningRate: 0.01, loss: "sse" as NodeLoss, callbackEvery: 1, progress: "auto" as ProgressOption });

/** Outcome of {@link trainNeuralODE}. */
export interface TrainNodeResult {
  /** Loss at each epoch, before that epoch's update (the lecture prints the same). */
  lossHistory: number[];
  /** Epochs run. */
  epochs: number;
  /** Which rule ended training; "epochs" when the cap was reached. */
  stoppedBy: StopReason;
  /** True when a rule ended training before the epoch cap. */
  stoppedEarly: boolean;
  /** Wall time per epoch, ms. */
  msPerEpoch: number;
  /** Mean field evaluations per epoch, in the forward solve and in the backward pass. */
  nfePerEpoch: { forward: number; backward: number };
}

/**
 * Fits the neural ODE so that `node.predict(u0)` matches `data` (shape `[T, n]`, or `[T, B, n]` for
 * a batch of initial states). Async because it yields to the event loop every few epochs, which lets
 * a notebook show live progress while training runs.
 */
export async function trainNeuralODE(node: NeuralODE, u0: tf.Tensor | readonly number[] | readonly (readonly number[])[], data: tf.Tensor | readonly number[][] | readonly number[][][], options: TrainNodeOptions): Promise<TrainNodeResult> {
  const o = { ...DEFAULT_TRAIN_NODE, ...TRAIN_NODE_OPTIONS.parse(options, "trainNeuralODE") };
  checkTrainingData(node, u0, data, "trainNeuralODE");
  const target = data instanceof tf.Tensor ? data : tf.tensor(data as number[][], undefined, "float32");
  const lossFn = resolveLoss(o.loss);
  const progress = resolveProgress(o.progress);
  const optimizer = o.optimizer ?? tf.train.adam(o.learningRate);
  const lossHistory: number[] = [];
  let nfeF = 0;
  let nfeB = 0;
  let stoppedBy: StopReason = "epochs";
  const started = performance.now();
  progress?.start(o.epochs);
  try {
    for (let epoch = 1; epoch <= o.epochs; epoch++) {
      const { loss, grads, stats } = node.lossAndGradients(u0, (pred) => lossFn(pred, target));
      optimizer.applyGradients(grads);
      tf.dispose(grads);
      lossHistory.push(loss);
      nfeF += stats.nfeForward;
      nfeB += stats.nfeBackward;
      const info: NodeEpochInfo = { epoch, epochs: o.epochs, loss, elapsedMs: performance.now() - started, nfeForward: stats.nfeForward, nfeBackward: stats.nfeBackward };
      progress?.update({ epoch, epochs: o.epochs, loss, extra: { nfe: stats.nfeForward + stats.nfeBackward } });
      const reason = stopReason(info, o);
      if (reason) {
        stoppedBy = reason;
        break;
      }
      if (epoch % 5 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
  } finally {
    progress?.stop();
    if (!options.optimizer) optimizer.dispose();
    if (!(data instanceof tf.Tensor)) target.dispose();
  }
  const epochs = lossHistory.length;
  return {
    lossHistory,
    epochs,
    stoppedBy,
    stoppedEarly: stoppedBy !== "epochs" && epochs < o.epochs,
    msPerEpoch: (performance.now() - started) / epochs,
    nfePerEpoch: { forward: nfeF / epochs, backward: nfeB / epochs },
  };
}
