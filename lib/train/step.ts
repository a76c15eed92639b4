/**
 * One optimizer step on one mini-batch, the building block of {@link fit} and of hand-written loops.
 *
 * @module
 */
import { tf } from "../tf/backend";
import { DEFAULT_ADAM, FlatAdam } from "./adam";
import { resolveLoss, type LossFn, type LossName } from "./losses";
import { TRAINING_RULES } from "./options";
import { defineOptions, type Rules } from "../options/schema";

/** Options of {@link makeTrainStep}. */
export interface TrainStepOptions {
  /** Default "mse". */
  loss?: LossName | LossFn;
  /** Built-in Adam's step size. Default 1e-3. Ignored when `optimizer` is given. */
  learningRate?: number;
  /** Any tfjs optimizer instead of the built-in flat Adam; its state is the caller's. */
  optimizer?: tf.Optimizer;
}

const STEP_SCHEMA = defineOptions<TrainStepOptions>({
  loss: TRAINING_RULES.loss,
  learningRate: TRAINING_RULES.learningRate,
  optimizer: TRAINING_RULES.optimizer,
} satisfies Rules<TrainStepOptions>, {}, `{ loss: "mse", learningRate: 1e-3 }`);

/** A training step bound to a model and an optimizer state. */
export interface TrainStep {
  /** Forward, backward and update on (x, y); leaves no tensors behind. */
  run(x: tf.Tensor, y: tf.Tensor): void;
  /** Frees the built-in Adam's state (a given optimizer is left alone). */
  dispose(): void;
}

/**
 * Binds a step to `model`'s trainable weights as they are now. The gradient list is explicit: with no
 * list, tfjs differentiates with respect to every trainable variable in the session, which in a
 * notebook grows with every model ever built.
 */
export function makeTrainStep(model: tf.LayersModel, options?: TrainStepOptions): TrainStep {
  const o = STEP_SCHEMA.parse(options, "makeTrainStep");
  const loss = resolveLoss(o.loss ?? "mse");
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const adam = o.optimizer ? null : new FlatAdam(vars, { learningRate: o.learningRate ?? DEFAULT_ADAM.learningRate });
  return {
    run(x, y) {
      tf.tidy(() => {
        const { grads } = tf.variableGrads(() => loss(model.apply(x, { training: true }) as tf.Tensor, y), vars);
        // A weight the loss does not reach gets no gradient from tfjs; Adam then sees zeros.
        if (adam) adam.apply(vars.map((v) => grads[v.name] ?? tf.zerosLike(v)));
        else o.optimizer!.applyGradients(grads);
      });
    },
    dispose() {
      adam?.dispose();
    },
  };
}
