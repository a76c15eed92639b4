/**
 * Weight initialisers with an optional seed, so a notebook run can be reproduced exactly.
 *
 * These are tfjs's own Glorot initialisers (Flux's `Dense` default is glorot_uniform too, with zero
 * bias). Being built-ins, their seed is part of the saved model config and reloading needs no custom
 * registration. tfjs draws seeded values with its seeded generator (alea), independent of any other
 * random draws in the session.
 *
 * @module
 */
import { tf } from "../tf/backend";
import { checkSeed } from "../tf/random";

/** Names of the kernel initialisers the builders accept. */
export type InitName = "glorotUniform" | "glorotNormal";

/** The tfjs initialiser type. */
export type Initializer = ReturnType<typeof tf.initializers.zeros>;

/**
 * Glorot (Xavier) uniform: U(−l, l) with l = √(6 / (fanIn + fanOut)). Same seed ⇒ same values.
 * Without a seed, every call draws fresh values.
 */
export function glorotUniform(seed?: number): Initializer {
  return tf.initializers.glorotUniform(seed === undefined ? {} : { seed: checkSeed(seed, "glorotUniform(seed)") });
}

/**
 * Glorot (Xavier) normal, truncated at two standard deviations as in Keras/tfjs
 * (σ = √(2 / (fanIn + fanOut)), corrected for the truncation). Same seed ⇒ same values.
 */
export function glorotNormal(seed?: number): Initializer {
  return tf.initializers.glorotNormal(seed === undefined ? {} : { seed: checkSeed(seed, "glorotNormal(seed)") });
}

/** All zeros: the bias initialiser (Flux's and tfjs's default). */
export function zeros(): Initializer {
  return tf.initializers.zeros();
}

/** The initialiser called `name`, seeded with `seed` when given. */
export function initializer(name: InitName, seed?: number): Initializer {
  if (name === "glorotUniform") return glorotUniform(seed);
  if (name === "glorotNormal") return glorotNormal(seed);
  throw new Error(`init must be "glorotUniform" or "glorotNormal", got ${JSON.stringify(name)}`);
}
