/**
 * The activations the hand-batched models support (the neural ODE's dense field, the seed
 * ensemble), applied by name. tfjs layers resolve their own activations; these models do not use
 * layers, so they share this one table.
 *
 * @module
 */
import { tf } from "./backend";

/** Activation names accepted by {@link applyActivation}. */
export const ACTIVATIONS = Object.freeze(["linear", "tanh", "relu", "sigmoid"] as const);

/** One of {@link ACTIVATIONS}: the activations with both a tfjs form and a hand-written float64 derivative. */
export type ActivationName = (typeof ACTIVATIONS)[number];

/** Applies the named activation; an unknown name throws, listing the supported ones. */
export function applyActivation(name: string, z: tf.Tensor): tf.Tensor {
  switch (name) {
    case "linear":
      return z;
    case "tanh":
      return tf.tanh(z);
    case "relu":
      return tf.relu(z);
    case "sigmoid":
      return tf.sigmoid(z);
    default:
      throw new Error(`activation '${name}' is not supported here; use one of ${ACTIVATIONS.join(", ")}`);
  }
}
