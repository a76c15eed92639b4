/**
 * Makes the file system read-only for the submission, in the grading child and before its code runs.
 *
 * Later submissions are graded by fresh processes that load the checks, the library and the grader
 * from disk, so a submission that could write files could change how everyone after it is graded.
 * Here every public `fs` function that creates, changes or deletes files or folders is replaced by
 * one that refuses (in `fs` and in `fs.promises`, which is also `node:fs/promises`), pinned so it
 * cannot be put back. Node's own helpers look these up on the module when called (measured on
 * Node 20: `WriteStream` opens through `fs.open`, `readFileSync` through `fs.openSync`), so they are
 * covered too; the ones that do not (`fs.readFile`, `fs.promises.writeFile`) are pinned themselves.
 *
 * Reading stays possible: `open` and `readFile` accept read-only flags only (`O_TRUNC` alone would
 * empty a file). Writing by descriptor is allowed to stdout and stderr only, because that is how
 * `process.stdout` writes when it is a file (the grader points it at /dev/null).
 * Also closed: WASI (its preopened folders are written from C++, past `fs`) and `process.report`
 * (it writes a report to a file of the caller's choosing, even on a later crash).
 *
 * The grader also hashes the course's files around each submission (course-files.ts), for what
 * this misses, such as a write function some loaded library took from `fs` before this ran.
 *
 * @module
 */
import fs from "node:fs";
import { syncBuiltinESMExports } from "node:module";

/** Changes files or folders: refused outright, with their `…Sync` forms and in `fs.promises`. */
const MUTATORS = ["writeFile", "appendFile", "rename", "unlink", "rm", "rmdir", "mkdir", "mkdtemp", "copyFile", "cp", "symlink", "link", "truncate", "ftruncate", "chmod", "fchmod", "lchmod", "chown", "fchown", "lchown", "utimes", "futimes", "lutimes"];
/** Write to a descriptor: allowed to stdout and stderr only. */
const FD_WRITERS = ["write", "writeSync", "writev", "writevSync"];

const { O_WRONLY, O_RDWR, O_CREAT, O_TRUNC, O_APPEND } = fs.constants;
const WRITE_BITS = O_WRONLY | O_RDWR | O_CREAT | O_TRUNC | O_APPEND;

/** Whether open flags (a string, a number, or absent for the default "r") only read. */
function readOnly(flags: unknown): boolean {
  if (flags === undefined || flags === null || typeof flags === "function") return true; // absent; a function is the callback
  if (typeof flags === "number") return (flags & WRITE_BITS) === 0;
  return flags === "r" || flags === "rs" || flags === "sr";
}

const refusal = (what: string) => Object.assign(new Error(`${what} is not available while grading (files are read-only)`), { code: "EPERM" });

type Fn = (...args: unknown[]) => unknown;

/**
 * Wraps `obj[key]` so that calls for which `allowed` is false are refused (a rejected promise in
 * `fs.promises`, a throw elsewhere), and pins it so it cannot be reassigned or redefined.
 */
function guard(obj: Record<string, unknown>, key: string, what: string, allowed: (args: unknown[]) => boolean, promises: boolean): void {
  const original = obj[key];
  const desc = Object.getOwnPropertyDescriptor(obj, key);
  if (typeof original !== "function" || !desc) return; // not on this platform (lchmod is macOS-only)
  const guarded = function (this: unknown, ...args: unknown[]) {
    if (allowed(args)) return (original as Fn).apply(this, args);
    if (promises) return Promise.reject(refusal(what));
    throw refusal(what);
  };
  Object.defineProperty(obj, key, { value: guarded, writable: false, configurable: false, enumerable: desc.enumerable });
}

/**
 * `readFile`'s options with the flag it will open with, copied once into a plain object, so that a
 * getter cannot answer "r" to the check and "w" to Node.
 */
function plainOptions(args: unknown[]): boolean {
  const o = args[1];
  if (typeof o !== "object" || o === null) return true; // an encoding, a callback, or nothing
  const copy = { ...o } as { flag?: unknown };
  args[1] = copy;
  return readOnly(copy.flag);
}

/** Makes files read-only for this process; run once, after everything the grader needs is loaded. */
export function readOnlyFiles(): void {
  const sync = fs as unknown as Record<string, unknown>;
  const promises = fs.promises as unknown as Record<string, unknown>;
  const never = () => false;
  for (const base of MUTATORS) {
    guard(sync, base, `fs.${base}`, never, false);
    guard(sync, `${base}Sync`, `fs.${base}Sync`, never, false);
    guard(promises, base, `fs.promises.${base}`, never, true);
  }
  guard(sync, "createWriteStream", "fs.createWriteStream", never, false);
  for (const k of FD_WRITERS) guard(sync, k, `fs.${k} to a file`, (a) => a[0] === 1 || a[0] === 2, false);
  guard(sync, "open", "fs.open for writing", (a) => readOnly(a[1]), false);
  guard(sync, "openSync", "fs.openSync for writing", (a) => readOnly(a[1]), false);
  guard(promises, "open", "fs.promises.open for writing", (a) => readOnly(a[1]), true);
  guard(sync, "readFile", "fs.readFile with a writing flag", plainOptions, false);
  guard(sync, "readFileSync", "fs.readFileSync with a writing flag", plainOptions, false);
  guard(promises, "readFile", "fs.promises.readFile with a writing flag", plainOptions, true);
  // `import("node:fs")` namespaces made earlier would still hold the originals: bring them up to date.
  syncBuiltinESMExports();

  // WASI warns on stderr when loaded, and stderr fails a check: load it with warnings muted.
  const emitWarning = process.emitWarning;
  process.emitWarning = () => {};
  try {
    guard(require("node:wasi") as Record<string, unknown>, "WASI", "WASI", never, false);
  } finally {
    process.emitWarning = emitWarning;
  }
  const report = process.report;
  const getReport = report?.getReport.bind(report);
  const writeReport = () => {
    throw refusal("process.report.writeReport");
  };
  Object.defineProperty(process, "report", { value: Object.freeze({ getReport, writeReport }), writable: false, configurable: false, enumerable: true });
}
