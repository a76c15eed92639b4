/**
 * Messages between the grader and its child process (over Node's IPC channel, never stdout).
 *
 * Trust: every message from the child carries the `nonce` that the parent sent in `init` before
 * any submitted code ran, and the parent accepts a result only for the test it asked for. Text on
 * stdout is never parsed. Each reply is preceded by a barrier line on stderr (with a second secret)
 * so the parent knows that all stderr written before the reply has arrived and can attribute it to
 * the test that was running.
 *
 * @module
 */

/** Parent → child, once: what to grade. */
export interface InitMessage {
  type: "init";
  nonce: string;
  barrier: string;
  exercise: string;
  /** The submission as CommonJS (see extract.ts), and a file name for stack traces. */
  js: string;
  filename: string;
  courseRoot: string;
}

/** Parent → child: run one check. */
export interface RunMessage {
  type: "run";
  seq: number;
  id: string;
}

/** Child → parent: the submission's code has run (or failed to). */
export interface LoadedMessage {
  type: "loaded";
  nonce: string;
  seq: 0;
  ok: boolean;
  error?: string;
  /** Top-level statements that threw, by cell. */
  warnings: string[];
}

/** Child → parent: the outcome of one check. */
export interface ResultMessage {
  type: "result";
  nonce: string;
  seq: number;
  id: string;
  passed: boolean;
  message: string;
}

export type ChildMessage = LoadedMessage | ResultMessage;

/** The stderr line that closes reply `seq`. */
export const barrierLine = (barrier: string, seq: number): string => `\n@@grader-barrier ${barrier} ${seq}@@\n`;
