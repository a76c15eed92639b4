/**
 * The stop rules shared by {@link fit} and `trainNeuralODE`: one order of precedence, one set of
 * names, so both loops end for the same reasons and report them the same way.
 *
 * @module
 */

/** What stopping rules and callbacks see after each epoch. */
export interface EpochInfo {
  /** 1-based epoch just finished. */
  readonly epoch: number;
  /** The epoch cap. */
  readonly epochs: number;
  /** The epoch's full-data loss. */
  readonly loss: number;
  /** Milliseconds since training started. */
  readonly elapsedMs: number;
}

/** Why training ended. */
export type StopReason = "targetLoss" | "stopWhen" | "callback" | "epochs" | "nonFinite";

/** The rules a training loop checks after every epoch. */
export interface StopRules<I extends EpochInfo = EpochInfo> {
  /** Stop (converged) once the loss is below this, e.g. 0.01 as in the lecture. */
  readonly targetLoss?: number;
  /** Stop (converged) when this returns true after an epoch. */
  readonly stopWhen?: (info: I) => boolean;
  /** Called every `callbackEvery` epochs; return `false` to end training. */
  readonly callback?: (info: I) => boolean | void;
  /** Epochs between callback calls. */
  readonly callbackEvery: number;
}

/**
 * The reason to stop after this epoch, or undefined to go on. A non-finite loss wins (nothing
 * after it is meaningful), then the convergence rules, then the user's callback — which therefore
 * never sees a run that has already converged.
 */
export function stopReason<I extends EpochInfo>(info: I, rules: StopRules<I>): StopReason | undefined {
  if (!Number.isFinite(info.loss)) return "nonFinite";
  if (rules.targetLoss !== undefined && info.loss < rules.targetLoss) return "targetLoss";
  if (rules.stopWhen?.(info) === true) return "stopWhen";
  if (rules.callback && info.epoch % rules.callbackEvery === 0 && rules.callback(info) === false) return "callback";
  return undefined;
}
