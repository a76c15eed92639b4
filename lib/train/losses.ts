/**
 * Losses, written with two kernels each: `tf.losses.meanSquaredError` adds weighting and reduction
 * kernels (5 in all) that a plain mean does not need, and every kernel costs microseconds.
 *
 * @module
 */
import { tf } from "../tf/backend";
import { describeValue } from "../options/describe";

/** A loss: prediction and target of the same shape to a scalar. */
export type LossFn = (yPred: tf.Tensor, yTrue: tf.Tensor) => tf.Scalar;

/** Names of the built-in losses. */
export type LossName = "mse" | "sse";

/** Mean squared error over all elements, like `Flux.mse`. */
export function mse(yPred: tf.Tensor, yTrue: tf.Tensor): tf.Scalar {
  return tf.mean(tf.squaredDifference(yPred, yTrue));
}

/** Sum of squared errors, like `sum(abs2, ŷ .- y)` in the lecture's neural-ODE loss. */
export function sse(yPred: tf.Tensor, yTrue: tf.Tensor): tf.Scalar {
  return tf.sum(tf.squaredDifference(yPred, yTrue));
}

/** The built-in losses by name. */
export const losses: Readonly<Record<LossName, LossFn>> = Object.freeze({ mse, sse });

/** A loss function from a name or a function; the error names the option and the choices. */
export function resolveLoss(loss: LossName | LossFn, field = "options.loss"): LossFn {
  if (typeof loss === "function") return loss;
  if (loss === "mse" || loss === "sse") return losses[loss];
  throw new Error(`${field} must be "mse", "sse" or a function (yPred, yTrue) => scalar, got ${describeValue(loss)}`);
}
