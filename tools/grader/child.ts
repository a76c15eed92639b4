/**
 * The grader's child process: runs one submission's notebook code, then its checks one at a time as
 * the parent asks. Started by run.ts with a heap limit; the parent kills it on a time limit or when it
 * uses too much memory, and starts a fresh one for the remaining checks.
 *
 * Everything the replies depend on (the IPC send function, the nonce, stderr's write) and every
 * check's function are captured here before any submitted code runs; then the course's modules are
 * frozen (lockdown.ts), the process loses its means to reach other processes (disarm.ts), and files
 * become read-only (readonly-fs.ts), so it cannot change what later submissions load.
 *
 * @module
 */
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import vm from "node:vm";
import { barrierLine, type ChildMessage, type InitMessage, type RunMessage } from "./protocol";
import { lockdown } from "./lockdown";
import { disarm } from "./disarm";
import { readOnlyFiles } from "./readonly-fs";
import type { CheckContext, Exercise, Submission } from "../../test/exercises/harness";

const send = process.send?.bind(process);
const writeSync = fs.writeSync;
if (!send) {
  console.error("tools/grader/child.ts is started by the grader (it needs an IPC channel)");
  process.exit(2);
}

// Without its grader there is nobody to answer to.
process.on("disconnect", () => process.exit(0));

let current: { reject: (e: unknown) => void } | null = null;
// Errors thrown later by the submission's timers or promises fail the running check, not the
// process; while the notebook code runs they are only noted, as a kernel would print them.
let onLoadError: ((e: unknown) => void) | null = null;
const stray = (e: unknown) => (current ? current.reject(e) : onLoadError?.(e));
process.on("uncaughtException", stray);
process.on("unhandledRejection", stray);

/** Runs `work`, failing early if the submission throws asynchronously meanwhile. */
function guarded<T>(work: () => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    current = { reject };
    work().then(resolve, reject);
  }).finally(() => (current = null));
}

process.once("message", (raw) => {
  void start(raw as InitMessage);
});

async function start(init: InitMessage): Promise<void> {
  const { nonce, barrier } = init;
  const reply = (msg: ChildMessage) => {
    writeSync(2, barrierLine(barrier, msg.seq));
    send!(msg);
  };
  // The checks, and with them the course library (which picks tfjs's backend and keeps its start-up
  // banner off stderr), load before the submission.
  const checks = require(path.join(init.courseRoot, "test", "exercises", "index.ts")) as typeof import("../../test/exercises");
  // Everything the grading uses from here on is taken now, before the submission can touch it: its
  // code runs in this process and can reach the same modules through require.
  const { runCheck, describeError, testId, newContext } = checks;
  const exercise = checks.exercises[init.exercise] as Exercise;
  const plan = new Map(exercise.checks.map((c) => [testId(c), { ...c, run: c.run }] as const));
  const ctx: CheckContext = newContext();
  const warnings: string[] = [];
  let sub: Submission = {};
  const courseRequire = createRequire(path.join(init.courseRoot, "package.json"));
  const tf = [courseRequire(path.join(init.courseRoot, "dist")).tf, courseRequire("@tensorflow/tfjs")];
  lockdown({ courseRoot: init.courseRoot, tf });
  disarm();
  readOnlyFiles();
  try {
    const mod = { exports: {} as Record<string, unknown> };
    const fn = vm.compileFunction(init.js, ["exports", "require", "module", "__filename", "__dirname"], { filename: init.filename });
    fn(mod.exports, courseRequire, mod, init.filename, path.dirname(init.filename));
    const entry = mod.exports.__submission__ as (report: (cell: number, e: unknown) => void) => Promise<Submission>;
    onLoadError = (e) => warnings.push(`an asynchronous error while the notebook code ran: ${describeError(e)}`);
    sub = await entry((cell, e) => warnings.push(`cell ${cell} threw at top level: ${describeError(e)}`));
  } catch (e) {
    reply({ type: "loaded", nonce, seq: 0, ok: false, error: describeError(e), warnings });
    return;
  }
  reply({ type: "loaded", nonce, seq: 0, ok: true, warnings });
  onLoadError = null;

  process.on("message", (raw) => {
    const msg = raw as RunMessage;
    if (msg?.type !== "run") return;
    const check = plan.get(msg.id);
    const result = check
      ? guarded(() => runCheck(exercise, check, sub, ctx)).catch((e) => ({ passed: false, message: `the submission threw asynchronously: ${describeError(e)}` }))
      : Promise.resolve({ passed: false, message: `no check called ${msg.id}` });
    // Only a boolean and a string go back, whatever object the check produced.
    void result.then((r) => reply({ type: "result", nonce, seq: msg.seq, id: msg.id, passed: r.passed === true, message: String(r.message) }));
  });
}
