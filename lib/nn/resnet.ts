/**
 * Residual networks: a general residual MLP builder and the lecture's two y = x models.
 *
 * @module
 */
import { tf } from "../tf/backend";
import { chain, dense, skip, type Activation, type ChainItem } from "./chain";
import type { InitName } from "./init";
import { INIT_RULE } from "./chain";
import { defineOptions, type Rules } from "../options/schema";
import { positiveInteger, required, rule, seed } from "../options/rules";

/** Options of {@link residualMlp}. */
export interface ResidualMlpOptions {
  /** Input features. Required. */
  inputs: number;
  /** Width of the residual stream u. Default: `inputs` (then no input layer is added). */
  width?: number;
  /** Hidden units inside each block's f. Default: `width`. */
  hidden?: number;
  /** Number of blocks u ← u + f(u). Default 2. */
  blocks?: number;
  /** Activation inside f. Default "tanh". */
  activation?: Activation;
  /** Output features of a final linear layer. Default: none (the output is u itself). */
  outputs?: number;
  /** Seed for every initialiser. Default: unseeded. */
  seed?: number;
  /** Kernel initialiser. Default "glorotUniform". */
  init?: InitName;
}

const DEFAULT_RESIDUAL_MLP = Object.freeze({ blocks: 2, activation: "tanh" as Activation, init: "glorotUniform" as InitName });

const RESIDUAL_MLP_SCHEMA = defineOptions<ResidualMlpOptions, typeof DEFAULT_RESIDUAL_MLP>({
  inputs: required(positiveInteger("2")),
  width: positiveInteger("16"),
  hidden: positiveInteger("32"),
  blocks: positiveInteger("2"),
  // Only the type here: the name itself is checked where the layer is built (tfjs knows its activations).
  activation: rule(`an activation name such as "tanh"`, (v): v is Activation => typeof v === "string"),
  outputs: positiveInteger("1"),
  seed,
  init: INIT_RULE,
} satisfies Rules<ResidualMlpOptions>, DEFAULT_RESIDUAL_MLP, "{ inputs: 1, blocks: 2 }");

/**
 * A residual MLP: [Dense(inputs => width)] → blocks × SkipConnection(Dense(width => hidden, σ) →
 * Dense(hidden => width), +) → [Dense(width => outputs)]. Each block is one forward-Euler step
 * u ← u + f(u) of an ODE with a learned right-hand side, which is the lecture's bridge to neural ODEs.
 */
export function residualMlp(options: ResidualMlpOptions): tf.Sequential {
  const o = RESIDUAL_MLP_SCHEMA.parse(options, "residualMlp");
  const width = o.width ?? o.inputs;
  const hidden = o.hidden ?? width;
  const items: ChainItem[] = [];
  if (width !== o.inputs) items.push(dense(o.inputs, width));
  for (let b = 0; b < o.blocks; b++) items.push(skip([dense(width, hidden, o.activation), dense(hidden, width)]));
  if (o.outputs !== undefined) items.push(dense(width, o.outputs));
  return chain(...items, { init: o.init, ...(o.seed === undefined ? {} : { seed: o.seed }) });
}

/**
 * The lecture's plain network, `Chain(Dense(1 => 1, tanh) ×3, Dense(1 => 1, identity))`: it cannot
 * learn y = x on [−10, 10] to MSE < 0.01 (PyTorch: 0 of 20 seeds in 10 000 epochs).
 */
export function lectureDense(seed?: number): tf.Sequential {
  return chain(dense(1, 1, "tanh"), dense(1, 1, "tanh"), dense(1, 1, "tanh"), dense(1, 1), seed === undefined ? {} : { seed });
}

/**
 * The lecture's ResNet, `Chain(SkipConnection(Chain(Dense(1 => 1, tanh) ×3), +), Dense(1 => 1))`:
 * the same four layers, but the skip makes the identity easy to reach.
 */
export function lectureResNet(seed?: number): tf.Sequential {
  return chain(skip([dense(1, 1, "tanh"), dense(1, 1, "tanh"), dense(1, 1, "tanh")]), dense(1, 1), seed === undefined ? {} : { seed });
}

/** The lecture's data: x = −10, −9, …, 10 (21 samples, one feature) and y = x. */
export function identityData(): { x: number[][]; y: number[][] } {
  const x = Array.from({ length: 21 }, (_, i) => [i - 10]);
  return { x, y: x.map((r) => [...r]) };
}
