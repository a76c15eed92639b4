/**
 * What {@link NeuralODE} and `trainNeuralODE` accept, checked before any work: their option schemas
 * (the solver's rules plus their own, so an unknown key lists every option they take), and the shapes
 * of the field, `u0` and the data — each mismatch blamed on the argument that is wrong.
 *
 * @module
 */
import { tf } from "../tf/backend";
import { SOLVE_RULES, TSPAN_RULE } from "../ode/options";
import { TRAINING_RULES } from "../train/options";
import { checkFinite, formatShape, readNumbers } from "../options/arrays";
import { describeValue } from "../options/describe";
import { defineOptions, fail, type Rules, type Where } from "../options/schema";
import { boolean, oneOf, positiveInteger, required } from "../options/rules";
import { DenseField } from "./dense-field";
import type { NeuralODE, NeuralODEOptions } from "./neural-ode";
import type { TrainNodeOptions } from "./train-node";

// NeuralODE takes every solver option but these two: saveat is its own (default [t1]), and a failed
// solve inside training must throw.
const { saveat: _saveat, onFailure: _onFailure, ...SOLVER_RULES } = SOLVE_RULES;

/** The options of `new NeuralODE(field, options)`; defaults are merged by the constructor. */
export const NEURAL_ODE_OPTIONS = defineOptions<NeuralODEOptions>({
  tspan: required(TSPAN_RULE),
  saveat: SOLVE_RULES.saveat,
  sensitivity: oneOf(["backprop", "adjoint"] as const),
  fastPath: boolean,
  ...SOLVER_RULES,
} satisfies Rules<NeuralODEOptions>, {}, "{ tspan: [0, 1.5], saveat: t }");

/** The options of `trainNeuralODE`: `epochs` plus the rules every training loop shares with `fit`. */
export const TRAIN_NODE_OPTIONS = defineOptions<TrainNodeOptions>({
  epochs: required(positiveInteger("300")),
  ...TRAINING_RULES,
} satisfies Rules<TrainNodeOptions>, {}, "{ epochs: 300, learningRate: 0.01 }");

/**
 * Checks the field given to the constructor and returns its state size when it states one (a
 * {@link DenseField}'s first width, a LayersModel's input features); undefined for other fields.
 */
export function checkField(field: unknown, fn: string): number | undefined {
  if (field instanceof DenseField) return field.sizes[0];
  if (field instanceof tf.LayersModel) {
    const [inputs, outputs] = [field.inputs[0].shape, field.outputs[0].shape];
    const [n, m] = [inputs[inputs.length - 1], outputs[outputs.length - 1]];
    if (inputs.length !== 2 || outputs.length !== 2) {
      fail({ fn, path: "field" }, `field takes inputs of shape [${inputs.map((d) => d ?? "B")}] and returns [${outputs.map((d) => d ?? "B")}]; a vector field maps states [B, n] to derivatives [B, n]`);
    }
    if (n !== null && m !== null && n !== m) {
      fail({ fn, path: "field" }, `field maps ${n} features to ${m}, but a vector field returns one derivative per state component; end it with a layer of ${n} outputs`);
    }
    return n ?? undefined;
  }
  const f = field as { apply?: unknown; params?: unknown } | null;
  if (typeof f !== "object" || f === null || typeof f.apply !== "function" || !Array.isArray(f.params)) {
    fail({ fn, path: "field" }, `field must be a tfjs LayersModel or a FieldModel, e.g. denseField({ sizes: [2, 50, 2] }) or chain(dense(2, 50, "tanh"), dense(50, 2)); got ${describeValue(field)}`);
  }
  return undefined;
}

/** The shape of a tensor or of nested arrays, after checking that every entry is a finite number (and arrays are not ragged). */
function checkedShape(value: unknown, at: Where, what: string): readonly number[] {
  if (!(value instanceof tf.Tensor)) return readNumbers(value, at, what).shape;
  checkFinite(value.dataSync(), at, what);
  return value.shape;
}

/**
 * Checks an initial state for a field of `stateSize` components (undefined: not known): one state
 * `[n]` or a batch `[B, n]` of finite numbers, not ragged. Returns its shape.
 */
export function checkInitialState(u0: unknown, stateSize: number | undefined, fn: string): readonly number[] {
  const at: Where = { fn, path: "u0" };
  const shape = checkedShape(u0, at, "the initial state");
  if (shape.length < 1 || shape.length > 2 || (stateSize !== undefined && shape[shape.length - 1] !== stateSize) || shape.includes(0)) {
    const n = stateSize ?? "n";
    const got = u0 instanceof tf.Tensor ? describeValue(u0) : `an array of shape ${formatShape(shape)}`;
    const size = stateSize === undefined ? "" : ` for this field (it takes ${stateSize} state components)`;
    fail(at, `u0 must have shape [${n}] or [B, ${n}]${size}, got ${got}`);
  }
  return shape;
}

/**
 * Checks trainNeuralODE's arguments before any work, in the order a reader would: the node, then
 * u0 against the node's field, then the data against the prediction's shape [saveat, ...u0].
 */
export function checkTrainingData(node: NeuralODE, u0: unknown, data: unknown, fn: string): void {
  const n = node as Partial<NeuralODE> | null;
  if (typeof n !== "object" || n === null || typeof n.lossAndGradients !== "function") {
    fail({ fn, path: "node" }, `node must be a NeuralODE such as new NeuralODE(field, { tspan: [0, 1.5], saveat: t }), got ${describeValue(node)}`);
  }
  const u0Shape = checkInitialState(u0, node.stateSize, fn);
  const at: Where = { fn, path: "data" };
  const shape = checkedShape(data, at, "training data");
  const expected = [node.saveat.length, ...u0Shape];
  if (formatShape(shape) !== formatShape(expected)) {
    fail(at, `data has shape ${formatShape(shape)} but the prediction will have shape ${formatShape(expected)} (saveat × state); pass one row per saveat time`);
  }
}
