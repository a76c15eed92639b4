/**
 * Takes away, in the grading child and before the submission runs, the means by which code could
 * reach outside its own process: signal another process (the grader is `process.ppid`, and any
 * process of the same user can be signalled), start programs, load native code, attach a debugger
 * (which could read the reply nonce), or dump the heap (which holds it too).
 *
 * Each is replaced by a function that throws, pinned so it cannot be put back. Built-in modules are
 * shared by every `require` of them, so patching their exports covers every path to them. The child
 * is also started in its own process group (child-process.ts), so a group signal misses the grader.
 * Ending itself (`process.exit`, a crash) stays possible: the grader notices and fails the check.
 *
 * @module
 */

/** A function that refuses, with the name of what was refused. */
const refuse = (what: string) =>
  function refused(): never {
    throw new Error(`${what} is not available while grading`);
  };

/** Replaces `obj[key]` (when present) by a refusing function that cannot be reassigned. */
function pin(obj: object, key: string, what: string): void {
  if (!(key in obj)) return;
  Object.defineProperty(obj, key, { value: refuse(what), writable: false, configurable: false, enumerable: false });
}

/** Function-valued exports of built-in modules that are refused (all of child_process and cluster). */
const MODULES: Record<string, readonly string[] | "all"> = {
  child_process: "all",
  cluster: "all",
  worker_threads: ["Worker"],
  inspector: ["open", "url", "waitForDebugger"],
  v8: ["getHeapSnapshot", "writeHeapSnapshot", "setFlagsFromString"],
  process: ["kill", "_kill", "abort", "dlopen", "binding", "_linkedBinding", "_debugProcess", "_debugEnd", "_startProfilerIdleNotifier"],
};

/** Disarms this process; run once, after everything the grader needs is loaded. */
export function disarm(): void {
  for (const [name, keys] of Object.entries(MODULES)) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = (name === "process" ? process : require(`node:${name}`)) as Record<string, unknown>;
    const list = keys === "all" ? Object.keys(mod).filter((k) => typeof mod[k] === "function") : keys;
    for (const k of list) pin(mod, k, `${name === "process" ? "process" : name}.${k}`);
  }
  // A debugger session in this process could read the grader's secrets from its closures.
  const { Session } = require("node:inspector") as typeof import("node:inspector");
  for (const k of ["connect", "connectToMainThread", "post"]) pin(Session.prototype, k, `inspector.Session.${k}`);
  for (const name of ["child_process", "cluster", "worker_threads", "inspector", "v8"]) Object.freeze(require(`node:${name}`));
}
