/**
 * The contract between a training loop and whatever shows its progress (a terminal bar, a line of
 * text updated in a notebook, a live loss plot). Loops call these in order: start, update…, stop.
 *
 * @module
 */

/** One progress report from a training loop. */
export interface ProgressEvent {
  /** 1-based epoch just finished. */
  epoch: number;
  /** Total epochs planned (the loop may stop earlier). */
  epochs: number;
  /** Loss after this epoch. */
  loss: number;
  /** Further figures worth showing, such as `{ nfe: 123, msPerEpoch: 4.2 }`. */
  extra?: Readonly<Record<string, number>>;
}

/** Something that shows training progress. */
export interface ProgressReporter {
  start(epochs: number): void;
  update(event: ProgressEvent): void;
  /** Called once at the end, also when training stopped early or threw. */
  stop(): void;
}
