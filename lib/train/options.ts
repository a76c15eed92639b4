/**
 * Options of {@link fit}: types, frozen defaults (the lecture's loop), and validation whose messages
 * name the field and the fix.
 *
 * @module
 */
import { tf } from "../tf/backend";
import { randomSeed } from "../tf/random";
import { defineOptions, type Rules } from "../options/schema";
import { boolean, func, instanceOf, positiveInteger, positiveNumber, rule, seed } from "../options/rules";
import { resolveLoss, type LossFn, type LossName } from "./losses";
import { isProgressOption, type ProgressOption } from "./progress";
import type { EpochInfo } from "./stopping";

/** Options of {@link fit}. Every field is optional; defaults reproduce the lecture's loop. */
export interface FitOptions {
  /** Epoch cap. Default 10 000 (the lecture's `for epoch in 1:10_000`). */
  epochs?: number;
  /** Mini-batch size; the last batch may be smaller (Flux's `partial = true`). Default 8. */
  batchSize?: number;
  /** Reshuffle the samples every epoch. Default true. */
  shuffle?: boolean;
  /** Seed of the shuffle, reported back in the result. Default: a fresh random seed. */
  seed?: number;
  /** Adam step size. Default 1e-3 (Flux's `Adam()`). Ignored when `optimizer` is given. */
  learningRate?: number;
  /** Any tfjs optimizer instead of the built-in Adam, e.g. `tf.train.sgd(0.01)`. Its state is yours. */
  optimizer?: tf.Optimizer;
  /** Loss for the mini-batches and the per-epoch full-data loss. Default "mse" (`Flux.mse`). */
  loss?: LossName | LossFn;
  /** Stop (converged) once the full-data loss is below this, e.g. 0.01 as in the lecture. */
  targetLoss?: number;
  /** Stop (converged) when this returns true after an epoch. */
  stopWhen?: (info: EpochInfo) => boolean;
  /** Called every `callbackEvery` epochs; return `false` to end training (the library's convention, as in trainNeuralODE). */
  callback?: (info: EpochInfo) => boolean | void;
  /** Epochs between callback calls. Default 1. */
  callbackEvery?: number;
  /** true, false, "auto" (default) or your own ProgressReporter; see `resolveProgress`. */
  progress?: ProgressOption;
}

/** The defaults: the lecture's DataLoader(batchsize=8, shuffle=true), Adam(1e-3), MSE, 10 000 epochs. */
export const DEFAULT_FIT_OPTIONS = Object.freeze({
  epochs: 10_000,
  batchSize: 8,
  shuffle: true,
  learningRate: 1e-3,
  loss: "mse" as LossName,
  callbackEvery: 1,
  progress: "auto" as ProgressOption,
});

/** Validated settings. */
export interface FitSettings {
  readonly epochs: number;
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly seed: number;
  readonly learningRate: number;
  readonly optimizer?: tf.Optimizer;
  readonly loss: LossFn;
  readonly targetLoss?: number;
  readonly stopWhen?: (info: EpochInfo) => boolean;
  readonly callback?: (info: EpochInfo) => boolean | void;
  readonly callbackEvery: number;
  readonly progress: ProgressOption;
}

/** Rules of the options every training loop shares ({@link fit}, `trainNeuralODE`, `makeTrainStep`): one meaning each. */
export const TRAINING_RULES = {
  learningRate: positiveNumber("1e-3"),
  optimizer: instanceOf(tf.Optimizer, "a tfjs optimizer such as tf.train.adam(1e-3)"),
  loss: rule(`"mse", "sse" or a function (yPred, yTrue) => scalar`, (v): v is LossName | LossFn => v === "mse" || v === "sse" || typeof v === "function"),
  // +Infinity is allowed (it stops after the first epoch with a finite loss); NaN and negatives are not.
  targetLoss: rule("a number ≥ 0 such as 0.01", (v): v is number => typeof v === "number" && v >= 0),
  stopWhen: func("of ({ epoch, epochs, loss, elapsedMs }) returning true to stop"),
  callback: func("of ({ epoch, epochs, loss, elapsedMs }); return false to end training"),
  callbackEvery: positiveInteger("10"),
  progress: rule(`true, false, "auto" or a ProgressReporter (an object with start, update and stop)`, isProgressOption),
} as const;

const FIT_SCHEMA = defineOptions<FitOptions, typeof DEFAULT_FIT_OPTIONS>({
  epochs: positiveInteger("10000"),
  batchSize: positiveInteger("8"),
  shuffle: boolean,
  seed,
  ...TRAINING_RULES,
} satisfies Rules<FitOptions>, DEFAULT_FIT_OPTIONS, "{ epochs: 1000, targetLoss: 0.01 }");

/** Merges `options` with the defaults and checks them. */
export function resolveFitOptions(options?: FitOptions): FitSettings {
  const o = FIT_SCHEMA.parse(options, "fit");
  return Object.freeze({ ...o, seed: o.seed ?? randomSeed(), loss: resolveLoss(o.loss) });
}
