/**
 * Options of {@link fit}: types, frozen defaults (the lecture's loop), and validation whose messages
 * name the field and the fix.
 *
 * @module
 */
import { tf } from "../tf/backend";
import { checkSeed, randomSeed } from "../tf/random";
import { resolveLoss, type LossFn, type LossName } from "./losses";
import type { ProgressOption } from "./progress";
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

const KNOWN = ["epochs", "batchSize", "shuffle", "seed", "learningRate", "optimizer", "loss", "targetLoss", "stopWhen", "callback", "callbackEvery", "progress"];

/** Merges `options` with the defaults and checks them. */
export function resolveFitOptions(options: FitOptions = {}): FitSettings {
  if (typeof options !== "object" || options === null) throw new Error(`fit options must be an object, got ${options === null ? "null" : typeof options}`);
  for (const key of Object.keys(options)) {
    if (!KNOWN.includes(key)) throw new Error(`options.${key} is not a fit option; known options: ${KNOWN.join(", ")}`);
  }
  const defined = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as FitOptions;
  const o = { ...DEFAULT_FIT_OPTIONS, ...defined };
  positiveInt(o.epochs, "epochs", "10000");
  positiveInt(o.batchSize, "batchSize", "8");
  positiveInt(o.callbackEvery, "callbackEvery", "100");
  if (typeof o.shuffle !== "boolean") throw new Error(`options.shuffle must be true or false, got ${JSON.stringify(o.shuffle)}`);
  if (!(typeof o.learningRate === "number" && o.learningRate > 0 && Number.isFinite(o.learningRate))) {
    throw new Error(`options.learningRate must be a positive number such as 1e-3, got ${o.learningRate}`);
  }
  if (o.optimizer !== undefined && !(o.optimizer instanceof tf.Optimizer)) throw new Error("options.optimizer must be a tfjs optimizer such as tf.train.adam(1e-3)");
  if (o.targetLoss !== undefined && !(typeof o.targetLoss === "number" && o.targetLoss >= 0 && Number.isFinite(o.targetLoss))) {
    throw new Error(`options.targetLoss must be a finite number ≥ 0 such as 0.01, got ${o.targetLoss}`);
  }
  for (const f of ["stopWhen", "callback"] as const) {
    if (o[f] !== undefined && typeof o[f] !== "function") throw new Error(`options.${f} must be a function of ({ epoch, epochs, loss, elapsedMs }), got ${typeof o[f]}`);
  }
  return Object.freeze({
    ...o,
    seed: o.seed === undefined ? randomSeed() : checkSeed(o.seed, "options.seed"),
    loss: resolveLoss(o.loss),
  });
}

function positiveInt(x: unknown, field: string, example: string): void {
  if (!(typeof x === "number" && Number.isInteger(x) && x > 0)) throw new Error(`options.${field} must be a positive integer such as ${example}, got ${String(x)}`);
}
